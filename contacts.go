// contacts.go holds the client's methods that save an account's address
// book and newsletters: SaveTag (savetag), SaveContact (savecontact) and
// SaveNewsletter (savepaket), with the Contact and Newsletter they save.

package smsgw24

import (
	"context"
	"net/url"
	"strconv"
	"strings"
)

// Contact is one entry of the account's address book, saved with
// [Client.SaveContact] (savecontact).
type Contact struct {
	Phone string `param:"phone" validate:"required"` // phone
	Name  string `param:"fullname"`                  // fullname; "": not sent
	TagID int64  `param:"tag_id" validate:"gt=0"`    // tag_id: the tag (group) it belongs to, from [Client.SaveTag]
}

// Newsletter is a message to every contact of some tags, sent through one
// device, saved with [Client.SaveNewsletter] (savepaket).
type Newsletter struct {
	Title    string  `param:"title" validate:"required"`
	Body     string  `param:"body" validate:"required"`
	DeviceID int64   `param:"device_id" validate:"gt=0"`
	TagIDs   []int64 `param:"tags" validate:"min=1,dive,gt=0"` // tags, sent comma-separated
	Channel  Channel `param:"sim" validate:"gte=0,lte=5"`      // sim
}

// SaveTag creates a tag, a group of contacts, called title (savetag) and
// returns its id. It is never retried (see [Client]).
func (c *Client) SaveTag(ctx context.Context, title string) (int64, error) {
	form, err := c.tokenForm()
	if err != nil {
		return 0, err
	}
	if strings.TrimSpace(title) == "" {
		return 0, invalid("title", "SaveTag's title", "is required")
	}
	form.Set("title", title)
	return c.save(ctx, "savetag", form, "tag_id")
}

// SaveContact saves a contact under a tag (savecontact) and returns its id.
// It is never retried (see [Client]).
func (c *Client) SaveContact(ctx context.Context, ct Contact) (int64, error) {
	form, err := c.tokenForm()
	if err != nil {
		return 0, err
	}
	if err := checkRequest(ct, "", ""); err != nil {
		return 0, err
	}
	form.Set("phone", ct.Phone)
	form.Set("tag_id", strconv.FormatInt(ct.TagID, 10))
	if ct.Name != "" {
		form.Set("fullname", ct.Name)
	}
	return c.save(ctx, "savecontact", form, "contact_id")
}

// SaveNewsletter saves a newsletter to the contacts of [Newsletter.TagIDs]
// (savepaket) and returns its id, the API's paket_id. It is never retried
// (see [Client]).
func (c *Client) SaveNewsletter(ctx context.Context, n Newsletter) (int64, error) {
	form, err := c.tokenForm()
	if err != nil {
		return 0, err
	}
	if err := checkRequest(n, "", ""); err != nil {
		return 0, err
	}
	tags := make([]string, len(n.TagIDs))
	for i, id := range n.TagIDs {
		tags[i] = strconv.FormatInt(id, 10)
	}
	form.Set("title", n.Title)
	form.Set("body", n.Body)
	form.Set("device_id", strconv.FormatInt(n.DeviceID, 10))
	form.Set("tags", strings.Join(tags, ","))
	form.Set("sim", strconv.Itoa(int(n.Channel)))
	return c.save(ctx, "savepaket", form, "paket_id")
}

// save posts form to a method that answers the id of what it saved in
// idField.
func (c *Client) save(ctx context.Context, method string, form url.Values, idField string) (int64, error) {
	ans, err := c.call(ctx, method, formRequest(form), false)
	if err != nil {
		return 0, err
	}
	id := ans.fields.whole(idField)
	if id <= 0 {
		return 0, ans.missing(idField)
	}
	return id, nil
}
