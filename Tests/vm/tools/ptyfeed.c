/*
 * ptyfeed: a serial scanner on a pseudo terminal, for the test VM.
 *
 *   ptyfeed [--hold-ms N] [--from FIFO]
 *
 * Opens a new pty pair and prints "pty /dev/pts/N" (the slave: what a program
 * configured for a serial scanner opens, like /dev/ttyACM0). Then copies its standard
 * input to the master byte by byte as it arrives, as a scanner's UART would send it;
 * what the slave side writes back is read and thrown away. At end of input it keeps
 * the master open --hold-ms more (default 0), then closes it: the slave then sees a
 * hang-up, as when a USB serial scanner is unplugged.
 *
 * --from FIFO reads from that FIFO instead of standard input, opened read-write so
 * that neither side blocks in open() and the writer may come and go (a shell's
 * background job gets /dev/null as standard input, whatever redirection it had).
 *
 * Exit 0 on success, 1 on system errors, 2 on usage errors.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv) {
    long hold_ms = 0;
    int in = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--hold-ms") == 0 && i + 1 < argc) hold_ms = atol(argv[++i]);
        else if (strcmp(argv[i], "--from") == 0 && i + 1 < argc) {
            in = open(argv[++i], O_RDWR);
            if (in < 0) { perror("ptyfeed: --from"); return 1; }
        } else { fprintf(stderr, "usage: ptyfeed [--hold-ms N] [--from FIFO]\n"); return 2; }
    }
    int master = posix_openpt(O_RDWR | O_NOCTTY);
    if (master < 0 || grantpt(master) < 0 || unlockpt(master) < 0) { perror("ptyfeed: /dev/ptmx"); return 1; }
    printf("pty %s\n", ptsname(master));
    fflush(stdout);

    struct pollfd fds[2] = {{.fd = in, .events = POLLIN}, {.fd = master, .events = POLLIN}};
    char buf[4096];
    for (;;) {
        if (poll(fds, 2, -1) < 0) { if (errno == EINTR) continue; perror("ptyfeed: poll"); return 1; }
        if (fds[1].revents & POLLIN) (void)!read(master, buf, sizeof buf);   /* echo, if any */
        if (fds[0].revents & (POLLIN | POLLHUP)) {
            ssize_t n = read(in, buf, sizeof buf);
            if (n <= 0) break;
            for (ssize_t off = 0; off < n;) {
                ssize_t w = write(master, buf + off, n - off);
                if (w < 0) { if (errno == EINTR) continue; perror("ptyfeed: write"); return 1; }
                off += w;
            }
            printf("sent %zd\n", n);
            fflush(stdout);
        }
    }
    struct timespec ts = {hold_ms / 1000, (hold_ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) < 0 && errno == EINTR) {}
    close(master);
    printf("closed\n");
    return 0;
}
