#!/usr/bin/env python3
"""Writes the binary seed inputs of the keystroke, serial and control fuzzers
(Fuzz/Corpus/<name>/seed-*). The text seeds (config, backends) are written by hand.
Input formats: Sources/AdmitFuzzing/<Name>Fuzzer.swift."""
import os

HERE = os.path.dirname(os.path.abspath(__file__))
US = {c: k for k, c in enumerate("1234567890-=", start=2)}
US.update({c: k for k, c in enumerate("qwertyuiop[]", start=16)})
US.update({c: k for k, c in enumerate("asdfghjkl;'`", start=30)})
US.update({c: k for k, c in enumerate("zxcvbnm,./", start=44)})
SHIFTED = {"!": "1", "@": "2", "#": "3", "$": "4", "%": "5", "^": "6", "&": "7", "*": "8", "(": "9", ")": "0", "_": "-", "+": "=",
           "{": "[", "}": "]", ":": ";", '"': "'", "~": "`", "<": ",", ">": ".", "?": "/"}
KEYPAD = {"7": 71, "8": 72, "9": 73, "4": 75, "5": 76, "6": 77, "1": 79, "2": 80, "3": 81, "0": 82}
ENTER, TAB, SHIFT, ALT = 28, 15, 42, 56


def tap(code, pause=3):
    return bytes([0, code, pause, 6, code, pause])


def typed(text, pause=3):
    out = b""
    for c in text:
        if c.isupper() or c in SHIFTED:
            base = c.lower() if c.isalpha() else SHIFTED[c]
            out += bytes([0, SHIFT, pause]) + tap(US[base], pause) + bytes([6, SHIFT, pause])
        else:
            out += tap(US[c], pause)
    return out


def alt_code(number, pause=3):
    out = bytes([0, ALT, pause])
    for digit in "%03d" % number:
        out += tap(KEYPAD[digit], pause)
    return out + bytes([6, ALT, pause])


def write(name, seeds):
    folder = os.path.join(HERE, "Corpus", name)
    os.makedirs(folder, exist_ok=True)
    for label, data in seeds.items():
        with open(os.path.join(folder, "seed-" + label), "wb") as f:
            f.write(data)


# setup: keymap (bits 0-1: us uk de fr) and terminators (bits 2-3: any, enter, tab, none);
# framing flags (prefix, suffix, aim 0x40, symbologies 0x80), max length - 1, timeout - 1.
write("keystrokes", {
    "ean13": bytes([0, 0, 63, 99]) + typed("4006381000000") + tap(ENTER),
    "shift-tab": bytes([0, 0, 63, 99]) + typed("ABC-123?x") + tap(TAB),
    "alt-gs1": bytes([4, 0, 63, 99]) + alt_code(29) + typed("0104006381") + alt_code(13),
    "aim": bytes([0, 0xC0, 63, 99]) + typed("]E04006381000017") + tap(ENTER),
    "slow": bytes([0, 0, 63, 49]) + typed("123") + bytes([0, 11, 0x80 | 20]) + typed("4") + tap(ENTER),
    "dropped": bytes([0, 0, 63, 99]) + typed("400") + bytes([12, 0, 1]) + typed("638") + tap(ENTER) + typed("17") + tap(ENTER),
    "idle-de": bytes([2 | 12, 0, 15, 29]) + typed("yz123") + bytes([13, 0, 0]),
    "long": bytes([0, 0, 7, 99]) + typed("40063810000001") + tap(ENTER) + typed("9") + tap(ENTER),
})


def chunk(data, pause=2):
    return bytes([len(data), pause]) + data


# terminator (cr lf crlf etx idle), framing flags, max length - 1, timeout - 1; chunks.
write("serial", {
    "cr": bytes([0, 0, 63, 99]) + chunk(b"4006381000000\r"),
    "crlf-split": bytes([2, 0, 63, 99]) + chunk(b"40063") + chunk(b"81000017\r\n") + chunk(b"\r\n"),
    "stx-etx": bytes([3, 0, 63, 99]) + chunk(b"\x02]Q1\x1d0104006381\x03") + chunk(b"\x02ab\x02cd\x03"),
    "idle": bytes([4, 0, 63, 19]) + chunk(b"4006381000000") + chunk(b"", 0x80 | 10) + chunk(b"x"),
    "noise": bytes([1, 0, 15, 99]) + chunk(b"\x00\xff12\x07\n") + chunk(bytes([0xC3, 0x28, 10])) + chunk(b"\xc3\xa9\n"),
    "slow": bytes([0, 0, 63, 9]) + chunk(b"123") + chunk(b"456\r", 0x80 | 5),
})


def lines(*parts):
    data = b"".join(parts)
    out = b""
    while data:
        piece, data = data[:40], data[40:]
        out += bytes([len(piece) - 1]) + piece
    return out


# limit (two bytes, mod 2048, + 1), then chunks (length - 1, bytes).
write("control", {
    "status": bytes([1, 0]) + lines(b'{"cmd":"status"}\n'),
    "scan": bytes([1, 0]) + lines(b'{"cmd":"scan","barcode":"4006381000000","direction":"out"}\r\n{"cmd":"recent","limit":5}\n'),
    "long": bytes([0, 15]) + lines(b'{"cmd":"status","barcode":"' + b"x" * 40 + b'"}\n{"cmd":"flush"}\n'),
    "junk": bytes([2, 0]) + lines(b'not json\n\n  \n{}\n[1,2]\n{"cmd":3}\n{"cmd":"reload"}'),
})
