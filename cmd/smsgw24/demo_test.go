// demo_test.go runs demo in-process, and checks that it shows every fixture
// decoded and the three rejects, and exits 0.

package main

import (
	"fmt"
	"golang.org/x/text/language"

	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-smsgw24/smsgw24"
	"github.com/go-smsgw24/smsgw24/smsgw24test"
)

func TestDemo(t *testing.T) {
	t.Setenv("LC_ALL", "C")
	code, stdout, stderr := runCmd(t, "demo")
	require.Equal(t, exitOK, code, stdout+stderr)
	assert.Empty(t, stderr)

	fixtures := smsgw24test.Fixtures()
	for _, f := range fixtures {
		ev, err := smsgw24.Parse(f.ContentType, f.Body)
		require.NoError(t, err)
		// The fixture's line, then what the receiver printed for it.
		_, after, found := strings.Cut(stdout, "\n"+f.Name+" (")
		require.True(t, found, "%s is shown", f.Name)
		head, rest, _ := strings.Cut(after, "\n")
		assert.True(t, strings.HasSuffix(head, "→ 200 OK"), "%s: %s", f.Name, head)
		printed, _, _ := strings.Cut(rest, "\n")
		assert.True(t, strings.HasPrefix(printed, "    "+string(ev.Kind())), "%s: %s", f.Name, printed)
		assert.Contains(t, printed, " sms_id="+strconv.FormatInt(ev.ID(), 10)+" ", f.Name)
	}
	assert.Contains(t, stdout, "a wrong token → 403 Forbidden\n    rejected 403 POST /smsgw24: smsgw24: token rejected\n")
	assert.Contains(t, stdout, "no token → 401 Unauthorized\n")
	assert.Contains(t, stdout, "a body without sms_id → 422 Unprocessable Entity\n")
	assert.Contains(t, stdout, fmt.Sprintf("\n%d of %d fixtures received and decoded, 3 of 3 bad requests rejected, a sent message delivered.\n", len(smsgw24test.Fixtures()), len(smsgw24test.Fixtures())))
	// The whole loop: the statuses of a message sent with the Client, as
	// the gateway posted them and as the receiver printed them.
	_, loop, found := strings.Cut(stdout, "\nThe whole loop:")
	require.True(t, found)
	for _, s := range []string{"3 queued", "2 taken_by_phone", "6 sent", "7 delivered"} {
		assert.Regexp(t, `gateway: status sms_id=\d+ status=`+s+` → POST http://127\.0\.0\.1:\d+/smsgw24\?token=REDACTED \(application/json\) → 200`, loop)
		assert.Regexp(t, `\n    status sms_id=\d+ device_id=1 channel=sim1 status=`+s+` `, loop)
	}
	assert.Regexp(t, `Client\.SMSStatus\(\d+\) → 7 delivered\n`, loop)
	assert.Contains(t, stdout, `status=7 delivered "Delivered"`)
}

func TestDemoInTheLocalesLanguage(t *testing.T) {
	t.Setenv("LC_ALL", "")
	t.Setenv("LC_MESSAGES", "")
	t.Setenv("LANG", "ru_RU.UTF-8")
	code, stdout, _ := runCmd(t, "demo")
	require.Equal(t, exitOK, code)
	assert.Contains(t, stdout, "language of your locale (ru-RU)")
	assert.Contains(t, stdout, `status=7 delivered "Доставлено"`)
}

func TestDescribedIn(t *testing.T) {
	for in, want := range map[string]string{"de-AT": "de-AT", "pt-BR": "pt-BR", "ru": "ru", "es-419": "es-419", "en-GB": "en-GB", "fr-FR": "en", "ja": "en"} {
		assert.Equal(t, want, describedIn(language.MustParse(in)).String(), in)
	}
}
