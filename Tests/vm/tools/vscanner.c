/*
 * vscanner: a virtual USB barcode scanner for the test VM.
 *
 * A real scanner in "keyboard wedge" mode is a USB keyboard: it types the barcode
 * as key presses and ends it with Enter. The kernel's uinput driver lets a program
 * create such a keyboard; to every reader (evdev, udev, admitd) it looks like a
 * plugged-in device at /dev/input/eventN.
 *
 *   vscanner [options] STRING...
 *
 * For each cycle (one, or --replug N): create the device, wait --pre-ms (or for
 * SIGUSR1 with --wait-signal), type every STRING followed by the terminator, keep the
 * device --hold-ms, remove it, wait --gap-ms.
 *
 * Prints "created /dev/input/eventN" and "removed /dev/input/eventN" on stdout, so a
 * test can find the node without guessing. Exit 0 on success, 2 on usage errors or
 * characters the layout cannot type, 1 on system errors.
 *
 * Keyboard layouts: the scanner sends key CODES, not characters; which character a
 * code means is decided by the layout the reading host assumes. A scanner configured
 * for a German host sends KEY_Z for 'y' (QWERTZ), KEY_SLASH for '-', and so on. The
 * --layout option picks the table that turns the wanted text into those codes.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <linux/uinput.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>
#include <dirent.h>

enum modifier { NONE = 0, SHIFT = 1, ALTGR = 2 };

struct keystroke {
    unsigned short code;
    enum modifier mod;
};

struct keymap_entry {
    char ch;
    unsigned short code;
    enum modifier mod;
};

/* Characters other than letters and digits, US layout. */
static const struct keymap_entry us_map[] = {
    {' ', KEY_SPACE, NONE},      {'-', KEY_MINUS, NONE},      {'_', KEY_MINUS, SHIFT},
    {'=', KEY_EQUAL, NONE},      {'+', KEY_EQUAL, SHIFT},     {'[', KEY_LEFTBRACE, NONE},
    {'{', KEY_LEFTBRACE, SHIFT}, {']', KEY_RIGHTBRACE, NONE}, {'}', KEY_RIGHTBRACE, SHIFT},
    {';', KEY_SEMICOLON, NONE},  {':', KEY_SEMICOLON, SHIFT}, {'\'', KEY_APOSTROPHE, NONE},
    {'"', KEY_APOSTROPHE, SHIFT},{'`', KEY_GRAVE, NONE},      {'~', KEY_GRAVE, SHIFT},
    {'\\', KEY_BACKSLASH, NONE}, {'|', KEY_BACKSLASH, SHIFT}, {',', KEY_COMMA, NONE},
    {'<', KEY_COMMA, SHIFT},     {'.', KEY_DOT, NONE},        {'>', KEY_DOT, SHIFT},
    {'/', KEY_SLASH, NONE},      {'?', KEY_SLASH, SHIFT},     {'!', KEY_1, SHIFT},
    {'@', KEY_2, SHIFT},         {'#', KEY_3, SHIFT},         {'$', KEY_4, SHIFT},
    {'%', KEY_5, SHIFT},         {'^', KEY_6, SHIFT},         {'&', KEY_7, SHIFT},
    {'*', KEY_8, SHIFT},         {'(', KEY_9, SHIFT},         {')', KEY_0, SHIFT},
    {0, 0, NONE},
};

/* German (QWERTZ) layout: where its keys differ from the US ones. Characters that
 * need a dead key (^ `) are left out; AltGr is the right Alt key. */
static const struct keymap_entry de_map[] = {
    {' ', KEY_SPACE, NONE},       {'-', KEY_SLASH, NONE},       {'_', KEY_SLASH, SHIFT},
    {'.', KEY_DOT, NONE},         {':', KEY_DOT, SHIFT},        {',', KEY_COMMA, NONE},
    {';', KEY_COMMA, SHIFT},      {'+', KEY_RIGHTBRACE, NONE},  {'*', KEY_RIGHTBRACE, SHIFT},
    {'~', KEY_RIGHTBRACE, ALTGR}, {'#', KEY_BACKSLASH, NONE},   {'\'', KEY_BACKSLASH, SHIFT},
    {'<', KEY_102ND, NONE},       {'>', KEY_102ND, SHIFT},      {'|', KEY_102ND, ALTGR},
    {'!', KEY_1, SHIFT},          {'"', KEY_2, SHIFT},          {'$', KEY_4, SHIFT},
    {'%', KEY_5, SHIFT},          {'&', KEY_6, SHIFT},          {'/', KEY_7, SHIFT},
    {'(', KEY_8, SHIFT},          {')', KEY_9, SHIFT},          {'=', KEY_0, SHIFT},
    {'?', KEY_MINUS, SHIFT},      {'\\', KEY_MINUS, ALTGR},     {'{', KEY_7, ALTGR},
    {'[', KEY_8, ALTGR},          {']', KEY_9, ALTGR},          {'}', KEY_0, ALTGR},
    {'@', KEY_Q, ALTGR},
    {0, 0, NONE},
};

/* Key codes are laid out by keyboard row, not alphabetically. */
static const unsigned short letter_keys[26] = {
    KEY_A, KEY_B, KEY_C, KEY_D, KEY_E, KEY_F, KEY_G, KEY_H, KEY_I, KEY_J, KEY_K, KEY_L, KEY_M,
    KEY_N, KEY_O, KEY_P, KEY_Q, KEY_R, KEY_S, KEY_T, KEY_U, KEY_V, KEY_W, KEY_X, KEY_Y, KEY_Z,
};

/* Turns one character into the key (and modifier) that types it. 0 if impossible. */
static int lookup(const char *layout, char ch, struct keystroke *out)
{
    int german = strcmp(layout, "de") == 0;
    if (ch >= 'a' && ch <= 'z') {
        char c = ch;
        if (german && (c == 'y' || c == 'z'))
            c = c == 'y' ? 'z' : 'y'; /* QWERTZ: Y and Z swap places */
        *out = (struct keystroke){letter_keys[c - 'a'], NONE};
        return 1;
    }
    if (ch >= 'A' && ch <= 'Z') {
        if (!lookup(layout, (char)(ch - 'A' + 'a'), out))
            return 0;
        out->mod = SHIFT;
        return 1;
    }
    if (ch >= '1' && ch <= '9') {
        *out = (struct keystroke){(unsigned short)(KEY_1 + (ch - '1')), NONE};
        return 1;
    }
    if (ch == '0') {
        *out = (struct keystroke){KEY_0, NONE};
        return 1;
    }
    for (const struct keymap_entry *e = german ? de_map : us_map; e->ch; e++) {
        if (e->ch == ch) {
            *out = (struct keystroke){e->code, e->mod};
            return 1;
        }
    }
    return 0;
}

static void fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "vscanner: ");
    vfprintf(stderr, fmt, ap);
    if (errno)
        fprintf(stderr, ": %s", strerror(errno));
    fprintf(stderr, "\n");
    va_end(ap);
    exit(1);
}

static void sleep_ms(long ms)
{
    if (ms <= 0)
        return;
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) == -1 && errno == EINTR) {
    }
}

static void emit(int fd, unsigned short type, unsigned short code, int value)
{
    struct input_event ev;
    memset(&ev, 0, sizeof ev); /* the kernel stamps the time itself */
    ev.type = type;
    ev.code = code;
    ev.value = value;
    if (write(fd, &ev, sizeof ev) != (ssize_t)sizeof ev)
        fail("write to /dev/uinput");
}

/* One key press as a USB keyboard reports it: modifier and key go down together
 * in one report (one SYN_REPORT), then both come up together in the next. */
static void press(int fd, struct keystroke k)
{
    unsigned short mod_key = k.mod == SHIFT ? KEY_LEFTSHIFT : k.mod == ALTGR ? KEY_RIGHTALT : 0;
    if (mod_key)
        emit(fd, EV_KEY, mod_key, 1);
    emit(fd, EV_KEY, k.code, 1);
    emit(fd, EV_SYN, SYN_REPORT, 0);
    emit(fd, EV_KEY, k.code, 0);
    if (mod_key)
        emit(fd, EV_KEY, mod_key, 0);
    emit(fd, EV_SYN, SYN_REPORT, 0);
}

struct options {
    const char *name;
    unsigned vendor, product;
    const char *layout;
    long delay_ms, pre_ms, hold_ms, gap_ms, stall_ms;
    long stall_after; /* -1: never */
    int replug;
    int wait_signal;
    const char *terminator; /* enter, tab, none */
};

/* Creates the device; returns the uinput fd and fills node with /dev/input/eventN. */
static int create_device(const struct options *o, char *node, size_t node_size)
{
    int fd = open("/dev/uinput", O_WRONLY | O_NONBLOCK);
    if (fd < 0)
        fail("open /dev/uinput");
    /* Declare a full keyboard (every key code up to 255), as a real scanner does;
     * udev then tags it ID_INPUT_KEYBOARD, like the real thing. */
    if (ioctl(fd, UI_SET_EVBIT, EV_KEY) < 0 || ioctl(fd, UI_SET_EVBIT, EV_SYN) < 0)
        fail("UI_SET_EVBIT");
    for (int code = 1; code < 256; code++)
        if (ioctl(fd, UI_SET_KEYBIT, code) < 0)
            fail("UI_SET_KEYBIT %d", code);

    struct uinput_setup setup;
    memset(&setup, 0, sizeof setup);
    setup.id.bustype = BUS_USB;
    setup.id.vendor = (unsigned short)o->vendor;
    setup.id.product = (unsigned short)o->product;
    setup.id.version = 1;
    snprintf(setup.name, sizeof setup.name, "%s", o->name);
    if (ioctl(fd, UI_DEV_SETUP, &setup) < 0)
        fail("UI_DEV_SETUP");
    if (ioctl(fd, UI_DEV_CREATE) < 0)
        fail("UI_DEV_CREATE");

    /* Which eventN did the kernel give it? UI_GET_SYSNAME names the input device
     * ("input7"); its sysfs folder holds the evdev child ("event5"). */
    char sysname[64] = "", dir[160];
    if (ioctl(fd, UI_GET_SYSNAME(sizeof sysname), sysname) < 0)
        fail("UI_GET_SYSNAME");
    snprintf(dir, sizeof dir, "/sys/devices/virtual/input/%s", sysname);
    node[0] = 0;
    for (int tries = 0; tries < 200 && !node[0]; tries++) {
        DIR *d = opendir(dir);
        struct dirent *e;
        while (d && (e = readdir(d)))
            if (strncmp(e->d_name, "event", 5) == 0)
                snprintf(node, node_size, "/dev/input/%.40s", e->d_name);
        if (d)
            closedir(d);
        if (node[0] && access(node, F_OK) == 0)
            break;
        node[0] = 0;
        sleep_ms(10);
    }
    if (!node[0]) {
        errno = 0;
        fail("no event node appeared under %s", dir);
    }
    return fd;
}

static void type_string(int fd, const struct options *o, const char *s)
{
    for (long i = 0; s[i]; i++) {
        if (i == o->stall_after)
            sleep_ms(o->stall_ms); /* a scanner (or USB hub) that hiccups mid-code */
        struct keystroke k;
        lookup(o->layout, s[i], &k); /* checked in main() */
        press(fd, k);
        sleep_ms(o->delay_ms);
    }
    if (strcmp(o->terminator, "enter") == 0)
        press(fd, (struct keystroke){KEY_ENTER, NONE});
    else if (strcmp(o->terminator, "tab") == 0)
        press(fd, (struct keystroke){KEY_TAB, NONE});
    sleep_ms(o->delay_ms);
}

static void usage(void)
{
    fprintf(stderr,
        "usage: vscanner [options] STRING...\n"
        "  --layout us|de        key codes for a host with this layout (default us)\n"
        "  --delay-ms N          pause after each key press (default 2)\n"
        "  --stall-after N       stall after the first N characters of each string\n"
        "  --stall-ms N          how long that stall is (default 300)\n"
        "  --terminator enter|tab|none   sent after each string (default enter)\n"
        "  --pre-ms N            wait after creating the device, before typing (default 0)\n"
        "  --wait-signal         instead, wait for SIGUSR1 before typing (max 60 s)\n"
        "  --hold-ms N           keep the device after typing (default 0)\n"
        "  --replug N            create/type/hold/remove N times (default 1)\n"
        "  --gap-ms N            pause between replugs (default 100)\n"
        "  --name S --vendor 0xV --product 0xP   identity (default \"Admit Test Scanner\" 0c2e:0b61)\n");
    exit(2);
}

int main(int argc, char **argv)
{
    struct options o = {
        .name = "Admit Test Scanner", .vendor = 0x0c2e, .product = 0x0b61, .layout = "us",
        .delay_ms = 2, .pre_ms = 0, .hold_ms = 0, .gap_ms = 100, .stall_ms = 300,
        .stall_after = -1, .replug = 1, .wait_signal = 0, .terminator = "enter",
    };
    static const struct option longopts[] = {
        {"layout", required_argument, 0, 'l'},   {"delay-ms", required_argument, 0, 'd'},
        {"stall-after", required_argument, 0, 'a'}, {"stall-ms", required_argument, 0, 's'},
        {"terminator", required_argument, 0, 't'}, {"pre-ms", required_argument, 0, 'p'},
        {"wait-signal", no_argument, 0, 'w'},     {"hold-ms", required_argument, 0, 'h'},
        {"replug", required_argument, 0, 'r'},    {"gap-ms", required_argument, 0, 'g'},
        {"name", required_argument, 0, 'n'},      {"vendor", required_argument, 0, 'V'},
        {"product", required_argument, 0, 'P'},   {"help", no_argument, 0, '?'},
        {0, 0, 0, 0},
    };
    int c;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (c) {
        case 'l': o.layout = optarg; break;
        case 'd': o.delay_ms = atol(optarg); break;
        case 'a': o.stall_after = atol(optarg); break;
        case 's': o.stall_ms = atol(optarg); break;
        case 't': o.terminator = optarg; break;
        case 'p': o.pre_ms = atol(optarg); break;
        case 'w': o.wait_signal = 1; break;
        case 'h': o.hold_ms = atol(optarg); break;
        case 'r': o.replug = atoi(optarg); break;
        case 'g': o.gap_ms = atol(optarg); break;
        case 'n': o.name = optarg; break;
        case 'V': o.vendor = (unsigned)strtoul(optarg, NULL, 0); break;
        case 'P': o.product = (unsigned)strtoul(optarg, NULL, 0); break;
        default: usage();
        }
    }
    if (strcmp(o.layout, "us") != 0 && strcmp(o.layout, "de") != 0)
        usage();
    if (strcmp(o.terminator, "enter") && strcmp(o.terminator, "tab") && strcmp(o.terminator, "none"))
        usage();
    /* Refuse untypable text before creating anything. */
    for (int i = optind; i < argc; i++) {
        for (const char *p = argv[i]; *p; p++) {
            struct keystroke k;
            if (!lookup(o.layout, *p, &k)) {
                unsigned char b = (unsigned char)*p;
                if (b >= 0x20 && b < 0x7f)
                    fprintf(stderr, "vscanner: layout %s cannot type '%c'\n", o.layout, b);
                else /* e.g. a UTF-8 umlaut: only ASCII is supported */
                    fprintf(stderr, "vscanner: layout %s cannot type byte 0x%02x\n", o.layout, b);
                return 2;
            }
        }
    }

    /* SIGUSR1 is blocked, so one sent early is kept pending until sigtimedwait. */
    sigset_t usr1;
    sigemptyset(&usr1);
    sigaddset(&usr1, SIGUSR1);
    sigprocmask(SIG_BLOCK, &usr1, NULL);
    setvbuf(stdout, NULL, _IOLBF, 0); /* tests read our lines while we run */

    for (int cycle = 0; cycle < o.replug; cycle++) {
        char node[64];
        int fd = create_device(&o, node, sizeof node);
        printf("created %s\n", node);
        if (o.wait_signal) {
            struct timespec limit = {60, 0};
            if (sigtimedwait(&usr1, NULL, &limit) < 0)
                fail("no SIGUSR1 within 60 s");
        } else {
            sleep_ms(o.pre_ms);
        }
        for (int i = optind; i < argc; i++)
            type_string(fd, &o, argv[i]);
        if (argc > optind)
            printf("typed %d string(s)\n", argc - optind);
        sleep_ms(o.hold_ms);
        ioctl(fd, UI_DEV_DESTROY);
        close(fd);
        printf("removed %s\n", node);
        if (cycle + 1 < o.replug)
            sleep_ms(o.gap_ms);
    }
    return 0;
}
