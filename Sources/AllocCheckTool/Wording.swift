// Small helpers for the command's sentences.

/// `1 operation`, `2 operations`: a count with its noun in the right number
/// (`plural` for nouns that do not just take an s).
public func counted(_ n: Int, _ singular: String, plural: String? = nil) -> String {
    "\(n) " + (n == 1 ? singular : plural ?? singular + "s")
}
