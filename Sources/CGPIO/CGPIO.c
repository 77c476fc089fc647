#include "CGPIO.h"

#include <errno.h>
#include <linux/gpio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

int cgpio_chip_info(int chip_fd, char *name, char *label, uint32_t *lines) {
    struct gpiochip_info info;
    memset(&info, 0, sizeof info);
    if (ioctl(chip_fd, GPIO_GET_CHIPINFO_IOCTL, &info) < 0) return -1;
    memcpy(name, info.name, GPIO_MAX_NAME_SIZE);
    memcpy(label, info.label, GPIO_MAX_NAME_SIZE);
    name[GPIO_MAX_NAME_SIZE - 1] = 0;
    label[GPIO_MAX_NAME_SIZE - 1] = 0;
    *lines = info.lines;
    return 0;
}

int cgpio_line_info(int chip_fd, uint32_t offset, char *name, char *consumer, uint64_t *flags) {
    struct gpio_v2_line_info info;
    memset(&info, 0, sizeof info);
    info.offset = offset;
    if (ioctl(chip_fd, GPIO_V2_GET_LINEINFO_IOCTL, &info) < 0) return -1;
    memcpy(name, info.name, GPIO_MAX_NAME_SIZE);
    memcpy(consumer, info.consumer, GPIO_MAX_NAME_SIZE);
    name[GPIO_MAX_NAME_SIZE - 1] = 0;
    consumer[GPIO_MAX_NAME_SIZE - 1] = 0;
    *flags = info.flags;
    return 0;
}

int cgpio_request_line(int chip_fd, uint32_t offset, const char *consumer, int output,
                       int active_low, int value, int edges, uint32_t debounce_us) {
    struct gpio_v2_line_request req;
    memset(&req, 0, sizeof req);
    req.offsets[0] = offset;
    req.num_lines = 1;
    strncpy(req.consumer, consumer, GPIO_MAX_NAME_SIZE - 1);
    uint64_t flags = active_low ? GPIO_V2_LINE_FLAG_ACTIVE_LOW : 0;
    if (output) {
        flags |= GPIO_V2_LINE_FLAG_OUTPUT;
        req.config.attrs[0].attr.id = GPIO_V2_LINE_ATTR_ID_OUTPUT_VALUES;
        req.config.attrs[0].attr.values = value ? 1 : 0;
        req.config.attrs[0].mask = 1;
        req.config.num_attrs = 1;
    } else {
        flags |= GPIO_V2_LINE_FLAG_INPUT;
        if (edges & 1) flags |= GPIO_V2_LINE_FLAG_EDGE_RISING;
        if (edges & 2) flags |= GPIO_V2_LINE_FLAG_EDGE_FALLING;
        if (debounce_us > 0) {
            req.config.attrs[0].attr.id = GPIO_V2_LINE_ATTR_ID_DEBOUNCE;
            req.config.attrs[0].attr.debounce_period_us = debounce_us;
            req.config.attrs[0].mask = 1;
            req.config.num_attrs = 1;
        }
    }
    req.config.flags = flags;
    if (ioctl(chip_fd, GPIO_V2_GET_LINE_IOCTL, &req) < 0) return -1;
    return req.fd;
}

int cgpio_set_value(int line_fd, int value) {
    struct gpio_v2_line_values values = {.bits = value ? 1 : 0, .mask = 1};
    return ioctl(line_fd, GPIO_V2_LINE_SET_VALUES_IOCTL, &values);
}

int cgpio_get_value(int line_fd) {
    struct gpio_v2_line_values values = {.bits = 0, .mask = 1};
    if (ioctl(line_fd, GPIO_V2_LINE_GET_VALUES_IOCTL, &values) < 0) return -1;
    return (int)(values.bits & 1);
}

int cgpio_read_event(int line_fd, uint64_t *timestamp_ns, int *rising, uint32_t *seqno) {
    struct gpio_v2_line_event event;
    ssize_t n;
    do {
        n = read(line_fd, &event, sizeof event);
    } while (n < 0 && errno == EINTR);
    if (n < 0) return errno == EAGAIN ? 0 : -1;
    if ((size_t)n != sizeof event) {
        errno = EIO;
        return -1;
    }
    *timestamp_ns = event.timestamp_ns;
    *rising = event.id == GPIO_V2_LINE_EVENT_RISING_EDGE;
    *seqno = event.line_seqno;
    return 1;
}
