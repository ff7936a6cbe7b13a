//! Reusing a vector's allocation: the two helpers every buffer a cell leaves to the next goes
//! through (a leaf module: it depends on nothing in the engine).

/// Returns `buffer` holding `n` copies of `value`, in the allocation it already has.
pub(super) fn refill<T: Clone>(mut buffer: Vec<T>, n: usize, value: T) -> Vec<T> {
    buffer.clear();
    buffer.resize(n, value);
    buffer
}

/// Returns `buffer` emptied, keeping its allocation.
pub(super) fn emptied<T>(mut buffer: Vec<T>) -> Vec<T> {
    buffer.clear();
    buffer
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refilled_buffers_hold_only_the_new_values_and_keep_their_allocation() {
        let buffer = vec![7u32; 100];
        let capacity = buffer.capacity();
        let buffer = refill(buffer, 10, 0);
        assert_eq!(buffer, vec![0; 10]);
        assert_eq!(buffer.capacity(), capacity);
        let buffer = emptied(buffer);
        assert!(buffer.is_empty());
        assert_eq!(buffer.capacity(), capacity);
    }
}
