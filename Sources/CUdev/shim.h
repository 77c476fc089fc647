// libudev, imported only by AdmitDevices (Udev/UdevContext.swift).
#include <libudev.h>
