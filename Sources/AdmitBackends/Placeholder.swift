public enum AdmitBackendsPlaceholder {}
import AsyncHTTPClient
