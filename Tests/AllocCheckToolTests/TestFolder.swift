import Foundation

/// The one folder every test of this target writes its files in
/// (`alloccheck-tests-<pid>-<uuid>` in the temporary directory), removed
/// with everything in it when the test process exits. Tests run in
/// parallel and several suites share files in it, so no test may remove it
/// earlier. A process id can repeat across runs (a fresh container's), hence
/// the UUID: files an earlier run left never meet this one's.
let testFolder: String = {
    let path = NSTemporaryDirectory() + "alloccheck-tests-\(getpid())-\(UUID().uuidString)"
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    // Child processes of these tests are commands started with exec, so
    // only this process runs the handler.
    atexit { try? FileManager.default.removeItem(atPath: testFolder) }
    return path
}()
