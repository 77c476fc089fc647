/*
 * grabcheck: read key events from one input device for a while and report them.
 *
 *   grabcheck [--grab] [--window-ms N] [--count N] /dev/input/eventN
 *
 * Used two ways:
 *   - as a tiny "evtest" to show that typing through a (virtual) device arrives;
 *   - to prove an exclusive grab: while another process holds EVIOCGRAB on a device
 *     (admitd does, so scanned barcodes do not leak into a console), every other
 *     reader gets no events at all. grabcheck without --grab then sees nothing.
 *
 * Output, one line each:
 *   ready DEVICE bus=0x0003 vendor=0x0c2e product=0x0b61 grab=no name="..."
 *   down CODE +MS      a key went down, MS after the first key event seen
 *   keys_down=N key_events=M
 * "ready" is printed once the device is open (and grabbed), so a test can start
 * typing only then. Stops after --window-ms (default 2000), after --count key
 * presses, when the device goes away, or on SIGTERM (after reading what is already
 * queued). Exit 0 if any key event arrived, 1 if none, 2 on errors.
 *
 * Events still queued when a device disappears are lost (evdev answers ENODEV at
 * once), so a test keeps its virtual device alive until its readers are done.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <linux/input.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

/* SIGTERM/SIGINT end the window early but still print the summary, so a test can
 * stop a reader the moment it has seen enough. */
static volatile sig_atomic_t stop_requested;
static void request_stop(int sig)
{
    (void)sig;
    stop_requested = 1;
}

static long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static long keys_down, key_events;
static double first_ms = -1;

/* Reads every event queued on fd (non-blocking) and prints the key presses.
 * Returns -1 once the device is gone (evdev then answers ENODEV), else 0. */
static int read_pending(int fd)
{
    struct input_event ev[64];
    for (;;) {
        ssize_t got = read(fd, ev, sizeof ev);
        if (got < 0) {
            if (errno == EAGAIN)
                return 0;
            if (errno == EINTR)
                continue;
            if (errno != ENODEV)
                perror("grabcheck: read");
            return -1;
        }
        for (size_t i = 0; i < (size_t)got / sizeof ev[0]; i++) {
            if (ev[i].type != EV_KEY)
                continue;
            double t = ev[i].input_event_sec * 1000.0 + ev[i].input_event_usec / 1000.0;
            if (first_ms < 0)
                first_ms = t;
            key_events++;
            if (ev[i].value == 1) {
                keys_down++;
                printf("down %u +%.0f\n", ev[i].code, t - first_ms);
            }
        }
    }
}

int main(int argc, char **argv)
{
    int grab = 0;
    long window_ms = 2000, count = -1;
    static const struct option longopts[] = {
        {"grab", no_argument, 0, 'g'},
        {"window-ms", required_argument, 0, 'w'},
        {"count", required_argument, 0, 'c'},
        {"help", no_argument, 0, '?'},
        {0, 0, 0, 0},
    };
    int c;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (c) {
        case 'g': grab = 1; break;
        case 'w': window_ms = atol(optarg); break;
        case 'c': count = atol(optarg); break;
        default: goto usage;
        }
    }
    if (optind + 1 != argc)
        goto usage;
    const char *path = argv[optind];
    setvbuf(stdout, NULL, _IOLBF, 0);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = request_stop; /* no SA_RESTART: ppoll() returns EINTR */
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    /* Keep them blocked except inside ppoll(), so one cannot slip in between the
     * loop's check and the wait (and leave us waiting out the whole window). */
    sigset_t stops, during_poll;
    sigemptyset(&stops);
    sigaddset(&stops, SIGTERM);
    sigaddset(&stops, SIGINT);
    sigprocmask(SIG_BLOCK, &stops, &during_poll);
    sigdelset(&during_poll, SIGTERM);
    sigdelset(&during_poll, SIGINT);

    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        fprintf(stderr, "grabcheck: open %s: %s\n", path, strerror(errno));
        return 2;
    }
    if (grab && ioctl(fd, EVIOCGRAB, 1) < 0) {
        fprintf(stderr, "grabcheck: EVIOCGRAB %s: %s\n", path, strerror(errno));
        return 2;
    }
    /* The evdev identity (what admitd can match on: a uinput device has no USB
     * parent, so udev's ID_VENDOR_ID-style properties are absent). */
    struct input_id id = {0};
    char name[256] = "";
    ioctl(fd, EVIOCGID, &id);
    ioctl(fd, EVIOCGNAME(sizeof name), name);
    printf("ready %s bus=0x%04x vendor=0x%04x product=0x%04x grab=%s name=\"%s\"\n", path,
           id.bustype, id.vendor, id.product, grab ? "yes" : "no", name);

    long deadline = now_ms() + window_ms;
    int gone = 0;
    while (!stop_requested && !gone && (count < 0 || keys_down < count)) {
        long left = deadline - now_ms();
        if (left <= 0)
            break;
        struct pollfd p = {fd, POLLIN, 0};
        struct timespec timeout = {left / 1000, (left % 1000) * 1000000L};
        int n = ppoll(&p, 1, &timeout, &during_poll);
        if (n < 0 && errno != EINTR) {
            perror("grabcheck: ppoll");
            return 2;
        }
        if (n > 0 && read_pending(fd) < 0)
            gone = 1;
    }
    /* Stopped by a signal: what the kernel already queued for us still counts (a
     * test stops us right after the typing ended; we may not have read it yet). */
    if (stop_requested && !gone)
        read_pending(fd);
    printf("keys_down=%ld key_events=%ld\n", keys_down, key_events);
    return key_events > 0 ? 0 : 1;

usage:
    fprintf(stderr, "usage: grabcheck [--grab] [--window-ms N] [--count N] /dev/input/eventN\n");
    return 2;
}
