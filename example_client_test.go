// example_client_test.go shows Client at work, against the local gateway
// of package smsgw24test so that the examples run.

package smsgw24_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/go-smsgw24/smsgw24"
	"github.com/go-smsgw24/smsgw24/smsgw24test"
)

func ExampleClient_SendSMS() {
	gw := smsgw24test.NewGateway(smsgw24test.GatewayOptions{})
	defer gw.Close()
	ctx := context.Background()

	client := &smsgw24.Client{Token: smsgw24test.DefaultGatewayToken, BaseURL: gw.URL} // in production: only Token
	id, err := client.SendSMS(ctx, smsgw24.SMS{
		To:       "+4915752982212",
		Body:     "Your code is 1234",
		DeviceID: smsgw24test.DefaultDeviceID,
		Urgent:   true,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	_ = gw.Wait(ctx) // the local gateway goes through the message's statuses
	status, err := client.SMSStatus(ctx, id)
	fmt.Println(status, err)
	// Output: delivered <nil>
}

// Sending is never retried by the client: an SMS whose answer was lost may
// have been queued. With a CustomerID of your own, Messages tells whether
// the gateway has it before you send it again.
func ExampleClient_Messages() {
	gw := smsgw24test.NewGateway(smsgw24test.GatewayOptions{})
	defer gw.Close()
	ctx := context.Background()
	client := &smsgw24.Client{Token: smsgw24test.DefaultGatewayToken, BaseURL: gw.URL}

	order := smsgw24.SMS{To: "+4915752982212", Body: "Order 7731 shipped", DeviceID: smsgw24test.DefaultDeviceID, CustomerID: 7731}
	sendOnce := func() error {
		if _, err := client.SendSMS(ctx, order); err == nil {
			return nil
		} else if errors.Is(err, smsgw24.ErrInvalidRequest) {
			return err // nothing was sent
		}
		// The request may or may not have reached the gateway: ask.
		sent, err := client.Messages(ctx, smsgw24.MessageQuery{CustomerID: order.CustomerID})
		if err != nil || len(sent) > 0 {
			return err
		}
		_, err = client.SendSMS(ctx, order)
		return err
	}
	fmt.Println(sendOnce())
	sent, _ := client.Messages(ctx, smsgw24.MessageQuery{CustomerID: 7731})
	fmt.Println(len(sent), sent[0].To)
	// Output:
	// <nil>
	// 1 +4915752982212
}

func ExampleAPIError() {
	gw := smsgw24test.NewGateway(smsgw24test.GatewayOptions{})
	defer gw.Close()
	client := &smsgw24.Client{Token: "a-wrong-token", BaseURL: gw.URL}

	_, err := client.Devices(context.Background())
	var apiErr *smsgw24.APIError
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.Method, apiErr.Message)
	}
	// Output: getalldevices Token not found
}

func ExampleErrInvalidRequest() {
	client := &smsgw24.Client{Token: "t"}
	_, err := client.SendSMS(context.Background(), smsgw24.SMS{To: "+4915752982212", Body: "hi"})
	var fe *smsgw24.FieldError
	fmt.Println(errors.Is(err, smsgw24.ErrInvalidRequest), errors.As(err, &fe) && fe.Field == "device_id")
	fmt.Println(err)
	// Output:
	// true true
	// smsgw24: invalid request: device_id must be more than 0 (SMS.DeviceID)
}
