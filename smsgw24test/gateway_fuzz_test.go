// gateway_fuzz_test.go fuzzes the Gateway's REST API: any body, to any
// method, gets a JSON answer in the API's envelope (getalldevices has none),
// never a panic or a 5xx.

package smsgw24test_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/go-smsgw24/smsgw24/smsgw24test"
)

func FuzzGatewayAPI(f *testing.F) {
	const form = "application/x-www-form-urlencoded"
	f.Add("addsms", form, "token=test-token&sendto=%2B1&body=hi&device_id=1&sim=1&timetosend=2021-08-01+12:00&customerid=7&urgent=1")
	f.Add("addalotofsms", form, `datajson={"token":"test-token","smsdata":[{"sendto":"+1","body":"b","device_id":1,"customerid":null}]}`)
	f.Add("getallsms", form, "token=test-token&status=7&begindate=2021-01-01&timezone=Europe/Berlin&onlycount=1")
	f.Add("getsmsstatus", form, "token=test-token&sms_id=22074001")
	f.Add("getdevicestatus", form, "token=test-token&device_id=1")
	f.Add("savepaket", form, "token=test-token&title=t&body=b&device_id=1&tags=1,2")
	f.Add("addsmstosenderid", "application/json", `{"token":"test-token","send_to":"+1","sender_id":"s","template_id":"t","template_data":{"a":1}}`)
	f.Add("gettoken", "multipart/form-data; boundary=x", "--x\r\nContent-Disposition: form-data; name=\"email\"\r\n\r\ne\r\n--x--\r\n")
	g := smsgw24test.NewGateway(smsgw24test.GatewayOptions{Email: "e", Password: "p"})
	f.Cleanup(g.Close)
	f.Fuzz(func(t *testing.T, method, contentType, body string) {
		r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
		r.URL.Path = "/getdata/" + method // any text, as a server would decode it
		r.Header.Set("Content-Type", contentType)
		w := httptest.NewRecorder()
		g.ServeHTTP(w, r)
		require.Less(t, w.Code, 500)
		var answer map[string]any
		require.NoError(t, json.Unmarshal(w.Body.Bytes(), &answer), "%s", w.Body)
		if _, ok := answer["error"]; !ok {
			require.Equal(t, "getalldevices", method, "only getalldevices answers without the envelope")
		}
	})
}
