// Tuples: sub-draws one after another.

extension Gen {
    public static func zip<A, B>(_ a: Generator<A>, _ b: Generator<B>) -> Generator<(A, B)> {
        Generator(label: "tuple") { tc in (try tc.draw(a), try tc.draw(b)) }
    }

    public static func zip<A, B, C>(_ a: Generator<A>, _ b: Generator<B>, _ c: Generator<C>) -> Generator<(A, B, C)> {
        Generator(label: "tuple") { tc in (try tc.draw(a), try tc.draw(b), try tc.draw(c)) }
    }

    public static func zip<A, B, C, D>(_ a: Generator<A>, _ b: Generator<B>, _ c: Generator<C>, _ d: Generator<D>) -> Generator<(A, B, C, D)> {
        Generator(label: "tuple") { tc in (try tc.draw(a), try tc.draw(b), try tc.draw(c), try tc.draw(d)) }
    }

    public static func zip<A, B, C, D, E>(_ a: Generator<A>, _ b: Generator<B>, _ c: Generator<C>, _ d: Generator<D>, _ e: Generator<E>) -> Generator<(A, B, C, D, E)> {
        Generator(label: "tuple") { tc in (try tc.draw(a), try tc.draw(b), try tc.draw(c), try tc.draw(d), try tc.draw(e)) }
    }
}
