/// An element by index, or nil past the end (plan actions looked up from events).
extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
