//go:build linux

// worker.go holds worker, the client side of the load: the webhook requests
// it writes (status updates, text messages and images in turn, each with
// its own sms_id), sent on its own keep-alive connections, one at a time or
// two at once for a pair, with a 409 retried, and the reading of each
// answer's status line and Content-Length.

package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"time"
)

// The bodies of the three variants, as the gateway's newer documents show
// them, cut where the sms_id goes (and, for a status, the status_id).
var (
	statusBody = []string{`{"sms_id":`, `,"status_id":`, `,"status_message":"SMS Sent by Phone","sendto":"+5511987654321","senttime":"2025-06-02 14:05:09","channel_id":3,"device_id":12345}`}
	textBody   = []string{`{"address":"+5511987654321","date":"2025-06-02 14:10:11","date_sent":"2025-06-02 14:10:09","body":"Olá! Quero confirmar meu pedido.","internal_id":7310,"channel_id":3,"sms_id":`, `,"device_id":12345,"device_name":"Pixel 6a","type":"text"}`}
	imageBody  = []string{`{"address":"+5511987654321","date":"2025-06-02 14:21:00","date_sent":"2025-06-02 14:20:58","body":"","internal_id":null,"sim":3,"sms_id":`, `,"type":"img","img_url":"https://smsgateway24.s3.eu-central-1.amazonaws.com/img/`, `.jpg"}`}
	statuses   = []int64{2, 6, 7}
)

// appendRequest writes the request for event ev: status updates, text
// messages and images in turn, each with its own sms_id.
func (w *worker) appendRequest(buf []byte, ev int64) []byte {
	id := 5_000_000 + ev
	body := w.body[:0]
	switch ev % 3 {
	case 0:
		body = append(body, statusBody[0]...)
		body = strconv.AppendInt(body, id, 10)
		body = append(body, statusBody[1]...)
		body = strconv.AppendInt(body, statuses[ev/3%int64(len(statuses))], 10)
		body = append(body, statusBody[2]...)
	case 1:
		body = append(body, textBody[0]...)
		body = strconv.AppendInt(body, id, 10)
		body = append(body, textBody[1]...)
	default:
		body = append(body, imageBody[0]...)
		body = strconv.AppendInt(body, id, 10)
		body = append(body, imageBody[1]...)
		body = strconv.AppendInt(body, id, 10)
		body = append(body, imageBody[2]...)
	}
	w.body = body
	buf = append(buf, "POST /smsgw24?token="...)
	buf = append(buf, w.token...)
	buf = append(buf, " HTTP/1.1\r\nHost: "...)
	buf = append(buf, w.host...)
	buf = append(buf, "\r\nContent-Type: application/json\r\nContent-Length: "...)
	buf = strconv.AppendInt(buf, int64(len(body)), 10)
	buf = append(buf, "\r\n\r\n"...)
	return append(buf, body...)
}

// worker sends requests on its own connections, one at a time, or two at
// once for a pair.
type worker struct {
	addr, host string
	token      string
	req, body  []byte
	acked      []int64 // events answered 200
	conns      [2]*clientConn
	requests   int64
	errors     int64
	retried    int64
	errorKinds map[string]int64
	latencies  []time.Duration
}

type clientConn struct {
	c net.Conn
	r *bufio.Reader
}

func (w *worker) conn(i int) (*clientConn, error) {
	if w.conns[i] == nil {
		c, err := net.Dial("tcp", w.addr)
		if err != nil {
			return nil, err
		}
		w.conns[i] = &clientConn{c: c, r: bufio.NewReaderSize(c, 4096)}
	}
	return w.conns[i], nil
}

func (w *worker) drop(i int) {
	if w.conns[i] != nil {
		_ = w.conns[i].c.Close()
		w.conns[i] = nil
	}
}

func (w *worker) close() {
	w.drop(0)
	w.drop(1)
}

func (w *worker) fail(kind string) {
	w.errors++
	w.errorKinds[kind]++
}

// send sends event ev, on two connections at once if pair, and reports
// whether it was answered 200.
func (w *worker) send(ev int64, pair bool) bool {
	w.req = w.appendRequest(w.req[:0], ev)
	req := w.req
	n := 1
	if pair {
		n = 2
	}
	var started [2]time.Time
	var sent [2]bool
	for i := range n {
		cn, err := w.conn(i)
		if err != nil {
			w.fail("dial")
			continue
		}
		started[i] = time.Now()
		if _, err := cn.c.Write(req); err != nil {
			w.fail("write")
			w.drop(i)
			continue
		}
		sent[i] = true
	}
	ok := false
	for i := range n {
		if sent[i] && w.finish(i, req, started[i]) {
			ok = true
		}
	}
	return ok
}

// finish reads the answer to a request sent on connection i, retrying a
// 409 on it, and reports whether the request ended in a 200.
func (w *worker) finish(i int, req []byte, started time.Time) bool {
	for attempt := 0; ; attempt++ {
		cn := w.conns[i]
		code, keep, err := readResponse(cn.r)
		if err != nil {
			w.fail("read")
			w.drop(i)
			return false
		}
		w.requests++
		w.latencies = append(w.latencies, time.Since(started))
		if !keep {
			w.drop(i)
		}
		switch {
		case code == http.StatusOK:
			return true
		case code == http.StatusConflict && attempt < 1000:
			w.retried++
			time.Sleep(time.Millisecond)
			cn, err := w.conn(i)
			if err != nil {
				w.fail("dial")
				return false
			}
			started = time.Now()
			if _, err := cn.c.Write(req); err != nil {
				w.fail("write")
				w.drop(i)
				return false
			}
		default:
			w.fail(strconv.Itoa(code))
			return false
		}
	}
}

// readResponse reads one HTTP/1.1 answer with a Content-Length, and
// reports its status code and whether the connection stays open.
func readResponse(r *bufio.Reader) (code int, keep bool, err error) {
	line, err := r.ReadSlice('\n')
	if err != nil {
		return 0, false, err
	}
	if len(line) < 12 || !bytes.HasPrefix(line, []byte("HTTP/1.1 ")) {
		return 0, false, fmt.Errorf("bad status line %q", line)
	}
	if code, err = strconv.Atoi(string(line[9:12])); err != nil {
		return 0, false, err
	}
	length, keep := -1, true
	for {
		line, err := r.ReadSlice('\n')
		if err != nil {
			return 0, false, err
		}
		line = bytes.TrimRight(line, "\r\n")
		if len(line) == 0 {
			break
		}
		name, value, _ := bytes.Cut(line, []byte(":"))
		value = bytes.TrimSpace(value)
		switch {
		case bytes.EqualFold(name, []byte("Content-Length")):
			if length, err = strconv.Atoi(string(value)); err != nil {
				return 0, false, err
			}
		case bytes.EqualFold(name, []byte("Connection")) && bytes.EqualFold(value, []byte("close")):
			keep = false
		}
	}
	if length < 0 {
		return 0, false, errors.New("answer without Content-Length")
	}
	if _, err := r.Discard(length); err != nil {
		return 0, false, err
	}
	return code, keep, nil
}
