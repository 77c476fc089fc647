/*
 * gpiotool: list a GPIO chip's lines, or drive one line, through the GPIO character
 * device (the v2 uAPI admitd uses for the relay, lights and buzzer).
 *
 *   gpiotool list /dev/gpiochipN
 *       one line per GPIO line: OFFSET NAME CONSUMER input|output
 *   gpiotool set /dev/gpiochipN LINE VALUE HOLD_MS
 *       request LINE (an offset or a line name) as an output, drive VALUE (0/1),
 *       keep it HOLD_MS, release it. Prints "set" once the value is driven.
 *
 * With gpio-sim the level a consumer drives can be read back from sysfs
 * (/sys/devices/platform/gpio-sim.N/gpiochipM/sim_gpioK/value); this tool is how the
 * smoke test proves that read-back works before admitd exists.
 * Exit 0 on success, 1 on errors, 2 on usage errors.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/gpio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

static int open_chip(const char *path, struct gpiochip_info *info)
{
    int fd = open(path, O_RDWR | O_CLOEXEC);
    if (fd < 0) {
        fprintf(stderr, "gpiotool: open %s: %s\n", path, strerror(errno));
        exit(1);
    }
    if (ioctl(fd, GPIO_GET_CHIPINFO_IOCTL, info) < 0) {
        fprintf(stderr, "gpiotool: GPIO_GET_CHIPINFO_IOCTL: %s\n", strerror(errno));
        exit(1);
    }
    return fd;
}

static void line_info(int fd, unsigned offset, struct gpio_v2_line_info *li)
{
    memset(li, 0, sizeof *li);
    li->offset = offset;
    if (ioctl(fd, GPIO_V2_GET_LINEINFO_IOCTL, li) < 0) {
        fprintf(stderr, "gpiotool: GPIO_V2_GET_LINEINFO_IOCTL %u: %s\n", offset, strerror(errno));
        exit(1);
    }
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "list") == 0) {
        struct gpiochip_info chip;
        int fd = open_chip(argv[2], &chip);
        for (unsigned i = 0; i < chip.lines; i++) {
            struct gpio_v2_line_info li;
            line_info(fd, i, &li);
            printf("%u %s %s %s\n", i, li.name[0] ? li.name : "-",
                   li.consumer[0] ? li.consumer : "-",
                   (li.flags & GPIO_V2_LINE_FLAG_OUTPUT) ? "output" : "input");
        }
        return 0;
    }
    if (argc == 6 && strcmp(argv[1], "set") == 0) {
        struct gpiochip_info chip;
        int fd = open_chip(argv[2], &chip);
        /* LINE is an offset, or a name looked up among the chip's lines. */
        char *end;
        long offset = strtol(argv[3], &end, 10);
        if (*end) {
            offset = -1;
            for (unsigned i = 0; i < chip.lines && offset < 0; i++) {
                struct gpio_v2_line_info li;
                line_info(fd, i, &li);
                if (strcmp(li.name, argv[3]) == 0)
                    offset = i;
            }
            if (offset < 0) {
                fprintf(stderr, "gpiotool: no line named %s on %s\n", argv[3], argv[2]);
                return 1;
            }
        }
        struct gpio_v2_line_request req;
        memset(&req, 0, sizeof req);
        req.offsets[0] = (unsigned)offset;
        req.num_lines = 1;
        snprintf(req.consumer, sizeof req.consumer, "gpiotool");
        req.config.flags = GPIO_V2_LINE_FLAG_OUTPUT;
        /* The initial output value travels with the request, so the line never
         * glitches to the wrong level between "become output" and "set value". */
        req.config.num_attrs = 1;
        req.config.attrs[0].attr.id = GPIO_V2_LINE_ATTR_ID_OUTPUT_VALUES;
        req.config.attrs[0].attr.values = atoi(argv[4]) ? 1 : 0;
        req.config.attrs[0].mask = 1;
        if (ioctl(fd, GPIO_V2_GET_LINE_IOCTL, &req) < 0) {
            fprintf(stderr, "gpiotool: request line %ld: %s\n", offset, strerror(errno));
            return 1;
        }
        printf("set\n");
        fflush(stdout);
        long ms = atol(argv[5]);
        struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
        nanosleep(&ts, NULL);
        close(req.fd); /* releases the line */
        return 0;
    }
    fprintf(stderr, "usage: gpiotool list /dev/gpiochipN\n"
                    "       gpiotool set /dev/gpiochipN LINE VALUE HOLD_MS\n");
    return 2;
}
