// A tiny shim over the GPIO character device v2 uAPI (linux/gpio.h): fills the kernel's
// structs and issues the ioctls, so Swift never handles fixed-size C arrays. Every function
// returns -1 with errno set on failure. Called only from AdmitDevices/GPIO/GPIOLine.swift.
#ifndef CGPIO_H
#define CGPIO_H

#include <stdint.h>

/// GPIO_GET_CHIPINFO_IOCTL: the chip's name (gpiochip0), label (pinctrl-bcm2711) and line count.
/// `name` and `label` must hold 32 bytes.
int cgpio_chip_info(int chip_fd, char *name, char *label, uint32_t *lines);

/// GPIO_V2_GET_LINEINFO_IOCTL: the name and consumer (32 bytes each) of line `offset`.
int cgpio_line_info(int chip_fd, uint32_t offset, char *name, char *consumer, uint64_t *flags);

/// GPIO_V2_GET_LINE_IOCTL for one line. `output` requests an output driven to `value`
/// (logical, after active-low); otherwise an input with edge detection `edges`
/// (0 none, 1 rising, 2 falling, 3 both) and a debounce period. Returns the line fd.
int cgpio_request_line(int chip_fd, uint32_t offset, const char *consumer, int output,
                       int active_low, int value, int edges, uint32_t debounce_us);

/// GPIO_V2_LINE_SET_VALUES_IOCTL on a one-line request (logical value).
int cgpio_set_value(int line_fd, int value);

/// GPIO_V2_LINE_GET_VALUES_IOCTL on a one-line request; 0 or 1 (logical value).
int cgpio_get_value(int line_fd);

/// Reads one struct gpio_v2_line_event from a line fd: `rising` is 1 for a rising edge.
/// Returns 1 for an event, 0 when none is waiting (EAGAIN on a non-blocking fd), -1 on error.
int cgpio_read_event(int line_fd, uint64_t *timestamp_ns, int *rising, uint32_t *seqno);

#endif
