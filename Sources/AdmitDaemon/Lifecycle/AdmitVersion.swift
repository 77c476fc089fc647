/// Admit's version, reported by `status` and `--version`.
public enum AdmitVersion {
    public static let current = "0.1.0"
}
