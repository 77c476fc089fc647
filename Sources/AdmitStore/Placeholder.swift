public enum AdmitStorePlaceholder {}
import GRDB
