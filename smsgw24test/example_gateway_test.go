// example_gateway_test.go shows a whole integration tested without a phone:
// a user's code sends with smsgw24.Client to a Gateway, and receives the
// statuses and an incoming text with its own smsgw24.Handler.

package smsgw24test_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"sync"

	"github.com/go-smsgw24/smsgw24"
	"github.com/go-smsgw24/smsgw24/smsgw24test"
)

// store stands for a user's database: the status of each message sent, and
// the texts received.
type store struct {
	mu       sync.Mutex
	statuses map[int64]smsgw24.Status
	texts    []string
}

func (s *store) saveStatus(_ context.Context, u *smsgw24.StatusUpdate) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if u.Status.Supersedes(s.statuses[u.SMSID]) {
		s.statuses[u.SMSID] = u.Status
	}
	return nil
}

func (s *store) saveText(_ context.Context, m *smsgw24.TextMessage) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.texts = append(s.texts, m.Address+": "+m.Body)
	return nil
}

// The whole loop: the user's code sends an SMS with the Client, the gateway
// posts its statuses to the user's Handler, the user's store ends at
// "delivered", and a reply arrives.
func ExampleGateway() {
	ctx := context.Background()
	db := &store{statuses: map[int64]smsgw24.Status{}}

	// The user's webhook endpoint, as in production.
	hook := httptest.NewServer(&smsgw24.Handler{
		OnStatus: db.saveStatus,
		OnText:   db.saveText,
		Verifier: smsgw24.Token("hook-secret"),
	})
	defer hook.Close()

	// The gateway, with the device's webhook URLs pointing at it.
	gw := smsgw24test.NewGateway(smsgw24test.GatewayOptions{
		StatusURL:   hook.URL + "/?token=hook-secret",
		IncomingURL: hook.URL + "/?token=hook-secret",
	})
	defer gw.Close()

	// The user's code sends, as it would to the real API.
	client := &smsgw24.Client{Token: smsgw24test.DefaultGatewayToken, BaseURL: gw.URL}
	id, err := client.SendSMS(ctx, smsgw24.SMS{To: "+4915752982212", Body: "Your code is 1234", DeviceID: smsgw24test.DefaultDeviceID})
	if err != nil {
		fmt.Println(err)
		return
	}
	gw.InjectText(smsgw24.TextMessage{Address: "+4915752982212", Body: "Thanks!"})
	if err := gw.Wait(ctx); err != nil {
		fmt.Println(err)
		return
	}

	db.mu.Lock()
	defer db.mu.Unlock()
	fmt.Println(db.statuses[id], db.texts)
	// Output: delivered [+4915752982212: Thanks!]
}
