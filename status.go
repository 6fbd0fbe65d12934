// status.go holds Status, the delivery status of an outgoing message as the
// gateway reports it in status_id, with its lifecycle rules, its wire form
// and its descriptions in the languages the gateway's users speak.

package smsgw24

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/text/language"
)

// Status is the delivery status of an outgoing message (the gateway's
// status_id). The documented codes are out of numeric order: a message goes
// 1 → 3 → 2 → 6 and then to one final status ([Status.Supersedes] follows
// that order). A code that no document lists is kept as it is: Status(4)
// stays 4, [Status.Known] reports false for it, and it is described
// generically.
type Status int

// The documented status codes.
const (
	StatusPending         Status = 1   // created, waiting for the phone
	StatusTakenByPhone    Status = 2   // the phone has taken the message
	StatusQueued          Status = 3   // queued for sending
	StatusIncoming        Status = 5   // an incoming message, not an outgoing one
	StatusSent            Status = 6   // the phone has sent it
	StatusDelivered       Status = 7   // the recipient's network confirmed delivery
	StatusNotDelivered    Status = 8   // sent, but not delivered
	StatusGenericFailure  Status = 9   // not sent: generic failure
	StatusNoService       Status = 10  // not sent: no mobile service
	StatusNullPDU         Status = 11  // not sent: the phone produced no PDU
	StatusRadioOff        Status = 12  // not sent: the phone's radio is off
	StatusNotAllowed      Status = 100 // not sent: the app may not send SMS
	StatusNotAllowedAtAll Status = 101 // not sent: sending SMS is not allowed at all
)

// statusInfo is the single table behind every method of Status.
type statusInfo struct {
	name string
	// rank orders the lifecycle: 1 → 3 → 2 → 6 → final.
	rank   int
	final  bool
	failed bool
	// text holds the descriptions, indexed like supportedLanguages.
	text [5]string
}

// supportedLanguages are the languages of Status.Message, English first as
// the fallback.
var supportedLanguages = []language.Tag{
	language.English, language.German, language.Russian, language.Portuguese, language.Spanish,
}

var languageMatcher = language.NewMatcher(supportedLanguages)

// Languages lists the languages of [Status.Message]: English (the fallback),
// German, Russian, Portuguese and Spanish.
func Languages() []language.Tag {
	return append([]language.Tag(nil), supportedLanguages...)
}

// unknownText describes a code that no document lists, in the languages of
// supportedLanguages.
var unknownText = [5]string{
	"Unknown status (code %d)",
	"Unbekannter Status (Code %d)",
	"Неизвестный статус (код %d)",
	"Status desconhecido (código %d)",
	"Estado desconocido (código %d)",
}

var statuses = map[Status]statusInfo{
	StatusPending: {name: "pending", rank: 1, text: [5]string{
		"Waiting to be sent",
		"Wartet auf den Versand",
		"Ожидает отправки",
		"Aguardando envio",
		"Pendiente de envío",
	}},
	StatusIncoming: {name: "incoming", rank: 1, text: [5]string{
		"Incoming message",
		"Eingehende Nachricht",
		"Входящее сообщение",
		"Mensagem recebida",
		"Mensaje entrante",
	}},
	StatusQueued: {name: "queued", rank: 2, text: [5]string{
		"Queued for sending",
		"In der Warteschlange für den Versand",
		"В очереди на отправку",
		"Na fila para envio",
		"En cola para el envío",
	}},
	StatusTakenByPhone: {name: "taken_by_phone", rank: 3, text: [5]string{
		"Taken by the phone for sending",
		"Vom Telefon zum Versand übernommen",
		"Передано телефону для отправки",
		"Entregue ao telefone para envio",
		"Entregado al teléfono para su envío",
	}},
	StatusSent: {name: "sent", rank: 4, text: [5]string{
		"Sent by the phone",
		"Vom Telefon gesendet",
		"Отправлено телефоном",
		"Enviado pelo telefone",
		"Enviado por el teléfono",
	}},
	StatusDelivered: {name: "delivered", rank: 5, final: true, text: [5]string{
		"Delivered",
		"Zugestellt",
		"Доставлено",
		"Entregue",
		"Entregado",
	}},
	StatusNotDelivered: {name: "not_delivered", rank: 5, final: true, failed: true, text: [5]string{
		"Not delivered",
		"Nicht zugestellt",
		"Не доставлено",
		"Não entregue",
		"No entregado",
	}},
	StatusGenericFailure: {name: "generic_failure", rank: 5, final: true, failed: true, text: [5]string{
		"Not sent: generic failure",
		"Nicht gesendet: allgemeiner Fehler",
		"Не отправлено: общая ошибка",
		"Não enviado: falha genérica",
		"No enviado: error genérico",
	}},
	StatusNoService: {name: "no_service", rank: 5, final: true, failed: true, text: [5]string{
		"Not sent: no mobile network service",
		"Nicht gesendet: kein Mobilfunknetz",
		"Не отправлено: нет сети",
		"Não enviado: sem sinal da operadora",
		"No enviado: sin servicio de red móvil",
	}},
	StatusNullPDU: {name: "null_pdu", rank: 5, final: true, failed: true, text: [5]string{
		"Not sent: the phone could not encode the message (null PDU)",
		"Nicht gesendet: das Telefon konnte die Nachricht nicht kodieren (leere PDU)",
		"Не отправлено: телефон не смог закодировать сообщение (пустой PDU)",
		"Não enviado: o telefone não conseguiu codificar a mensagem (PDU nula)",
		"No enviado: el teléfono no pudo codificar el mensaje (PDU nula)",
	}},
	StatusRadioOff: {name: "radio_off", rank: 5, final: true, failed: true, text: [5]string{
		"Not sent: the phone's mobile radio is off",
		"Nicht gesendet: das Funkmodul des Telefons ist ausgeschaltet",
		"Не отправлено: радиомодуль телефона выключен",
		"Não enviado: o rádio do telefone está desligado",
		"No enviado: la radio del teléfono está apagada",
	}},
	StatusNotAllowed: {name: "not_allowed", rank: 5, final: true, failed: true, text: [5]string{
		"Not sent: the app has no permission to send SMS",
		"Nicht gesendet: die App hat keine Berechtigung, SMS zu senden",
		"Не отправлено: у приложения нет разрешения на отправку SMS",
		"Não enviado: o aplicativo não tem permissão para enviar SMS",
		"No enviado: la aplicación no tiene permiso para enviar SMS",
	}},
	StatusNotAllowedAtAll: {name: "not_allowed_at_all", rank: 5, final: true, failed: true, text: [5]string{
		"Not sent: sending SMS is not allowed on this phone at all",
		"Nicht gesendet: der SMS-Versand ist auf diesem Telefon grundsätzlich nicht erlaubt",
		"Не отправлено: отправка SMS на этом телефоне полностью запрещена",
		"Não enviado: o envio de SMS não é permitido de forma alguma neste telefone",
		"No enviado: el envío de SMS no está permitido en absoluto en este teléfono",
	}},
}

// Statuses lists the documented status codes in the order of the lifecycle.
func Statuses() []Status {
	return []Status{
		StatusPending, StatusQueued, StatusTakenByPhone, StatusSent,
		StatusDelivered, StatusNotDelivered, StatusGenericFailure, StatusNoService,
		StatusNullPDU, StatusRadioOff, StatusNotAllowed, StatusNotAllowedAtAll,
		StatusIncoming,
	}
}

// String returns a stable lower-case identifier such as "delivered" or
// "taken_by_phone". A code that no document lists gives "status(4)".
func (s Status) String() string {
	if info, ok := statuses[s]; ok {
		return info.name
	}
	return "status(" + strconv.Itoa(int(s)) + ")"
}

// Known reports whether s is one of the documented codes.
func (s Status) Known() bool {
	_, ok := statuses[s]
	return ok
}

// Final reports whether no later status is expected for the message:
// delivered, not delivered, or one of the failures (7–12, 100, 101).
func (s Status) Final() bool { return statuses[s].final }

// Failed reports whether the message did not get through (8–12, 100, 101).
func (s Status) Failed() bool { return statuses[s].failed }

// Supersedes reports whether a stored status prev should be replaced by s,
// for updates that arrive out of order or twice. It follows the lifecycle
// 1 → 3 → 2 → 6 → final, never the numeric order:
//
//   - a final status is never superseded, and s never supersedes itself;
//   - the zero Status (nothing stored yet) is superseded by any other;
//   - a later step of the lifecycle supersedes an earlier one;
//   - a code that no document lists is superseded by any documented one and
//     supersedes none, since its place in the lifecycle is not known.
func (s Status) Supersedes(prev Status) bool {
	if s == prev || s == 0 || prev.Final() {
		return false
	}
	if prev == 0 {
		return true
	}
	cur, ok := statuses[s]
	if !ok {
		return false
	}
	old, ok := statuses[prev]
	if !ok {
		return true
	}
	return cur.rank > old.rank
}

// Message describes s in the supported language that best matches tag:
// English, German, Russian, Portuguese or Spanish (see [Languages]).
// Regional tags such as de-AT, pt-BR or es-419 find their language; any
// other tag gives English.
func (s Status) Message(tag language.Tag) string {
	_, i, conf := languageMatcher.Match(tag)
	if conf == language.No {
		i = 0
	}
	if info, ok := statuses[s]; ok {
		return info.text[i]
	}
	return fmt.Sprintf(unknownText[i], int(s))
}

// ParseStatus reads a status from its code ("7") or its name ("delivered",
// as [Status.String] returns it, in any case). Any whole number is accepted,
// including codes that no document lists. Its error wraps
// [ErrInvalidField] and names the text's length, never the text.
func ParseStatus(text string) (Status, error) {
	t := strings.TrimSpace(text)
	if n, err := strconv.Atoi(t); err == nil {
		return Status(n), nil
	}
	lower := strings.ToLower(t)
	for code, info := range statuses {
		if info.name == lower {
			return code, nil
		}
	}
	if inner, ok := strings.CutPrefix(lower, "status("); ok {
		if n, err := strconv.Atoi(strings.TrimSuffix(inner, ")")); err == nil && strings.HasSuffix(inner, ")") {
			return Status(n), nil
		}
	}
	if t == "" {
		return 0, fmt.Errorf("%w: status is empty", ErrInvalidField)
	}
	// The text may be anything a sender put on the wire: name its length,
	// never its content.
	return 0, fmt.Errorf("%w: status (%d bytes) is neither a code nor a status name", ErrInvalidField, len(t))
}

// MarshalText writes the numeric code, as the gateway does.
func (s Status) MarshalText() ([]byte, error) {
	return strconv.AppendInt(nil, int64(s), 10), nil
}

// UnmarshalText reads a code or a name, as [ParseStatus] does.
func (s *Status) UnmarshalText(text []byte) error {
	v, err := ParseStatus(string(text))
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// MarshalJSON writes the numeric code as a JSON number, as the gateway does.
func (s Status) MarshalJSON() ([]byte, error) { return s.MarshalText() }

// UnmarshalJSON reads a JSON number, or a JSON string holding a code or a
// name, as [ParseStatus] reads it; escapes such as "\u0037" are decoded
// first. null leaves s unchanged. Its error wraps [ErrInvalidField].
func (s *Status) UnmarshalJSON(data []byte) error {
	data = bytes.TrimSpace(data)
	if string(data) == "null" {
		return nil
	}
	if len(data) >= 2 && data[0] == '"' && data[len(data)-1] == '"' {
		inner := data[1 : len(data)-1]
		if bytes.IndexByte(inner, '\\') >= 0 {
			// A JSON string with escapes: decode it as JSON does, not as
			// a Go literal (JSON has "\/", Go has "\x41").
			var text string
			if err := json.Unmarshal(data, &text); err != nil {
				return fmt.Errorf("%w: status is not a valid JSON string", ErrInvalidField)
			}
			inner = []byte(text)
		}
		data = inner
	}
	return s.UnmarshalText(data)
}
