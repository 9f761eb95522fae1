/// plumb's own version: in every output, and in every cache key (a new plumb re-judges everything).
public enum PlumbVersion {
  public static let current = "0.1.0"
}
