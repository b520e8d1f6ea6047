// mimalloc as a baseline, loaded at run time.
//
// The benchmark links nothing beyond the package and the C library: mimalloc
// (Debian's `libmimalloc2.0`, `libmimalloc.so.2`) is opened with `dlopen`
// when the benchmark starts, and its columns say "n/a" when it is not
// installed, so every other row still runs. It is opened with RTLD_LOCAL, so
// its exported `malloc`/`free` do not replace glibc's for the rest of the
// process: the glibc columns stay glibc. Its entry points are called through
// function pointers, as glibc's are through the PLT.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

enum Mimalloc {
    typealias MallocFunction = @convention(c) (Int) -> UnsafeMutableRawPointer?
    typealias FreeFunction = @convention(c) (UnsafeMutableRawPointer?) -> Void
    typealias PosixMemalignFunction = @convention(c) (UnsafeMutablePointer<UnsafeMutableRawPointer?>, Int, Int) -> Int32

    struct Functions {
        var malloc: MallocFunction
        var free: FreeFunction
        var posixMemalign: PosixMemalignFunction
    }

    /// The library's file name, as the dynamic loader searches for it.
    static let libraryName = "libmimalloc.so.2"

    /// mimalloc's entry points, or why they could not be loaded. Loaded once.
    static let loaded: Result<Functions, LoadFailure> = load()

    struct LoadFailure: Error, CustomStringConvertible {
        var description: String
    }

    /// The functions, or nil when mimalloc is not available.
    static var functions: Functions? { try? loaded.get() }

    /// One line for the report: what the mimalloc columns measure, or why they are empty.
    static var status: String {
        switch loaded {
        case .success: return "mimalloc = \(libraryName) loaded with dlopen: mi_malloc/mi_posix_memalign + mi_free."
        case let .failure(failure):
            return "mimalloc: not available (\(failure)); its columns say n/a. On Debian: apt-get install libmimalloc2.0"
        }
    }

    private static func load() -> Result<Functions, LoadFailure> {
        guard let handle = dlopen(libraryName, RTLD_NOW | RTLD_LOCAL) else {
            let reason = dlerror().map { String(cString: $0) } ?? "dlopen failed"
            return .failure(LoadFailure(description: reason))
        }
        func symbol<T>(_ name: String, as type: T.Type) -> T? {
            guard let address = dlsym(handle, name) else { return nil }
            return unsafeBitCast(address, to: type)
        }
        guard let malloc = symbol("mi_malloc", as: MallocFunction.self),
              let free = symbol("mi_free", as: FreeFunction.self),
              let posixMemalign = symbol("mi_posix_memalign", as: PosixMemalignFunction.self) else {
            return .failure(LoadFailure(description: "\(libraryName) lacks mi_malloc, mi_free or mi_posix_memalign"))
        }
        // The handle stays open for the process's lifetime: the functions are used until exit.
        return .success(Functions(malloc: malloc, free: free, posixMemalign: posixMemalign))
    }
}
