import AdmitFuzzing

/// libFuzzer's entry point: one input to `FuzzTarget.eventyay`.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    FuzzTarget.eventyay.run(UnsafeBufferPointer(start: data, count: size))
    return 0
}
