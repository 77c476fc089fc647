// libevdev, imported only by AdmitDevices (Scanners/EvdevDevice.swift).
#include <libevdev/libevdev.h>
#include <linux/input.h>
