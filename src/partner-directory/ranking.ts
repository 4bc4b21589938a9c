/**
 * The order of search results and the selection of one page of them.
 *
 * Every partner has a rank: its position in the directory sorted by name, then id (computed once, when the
 * index is built). Comparing two ranks is the name-then-id tie-break, so ordering hits needs no collator.
 */

/** Does the hit (scoreA, rankA) come before (scoreB, rankB)? Higher score first, then lower rank. */
export function before(scoreA: number, rankA: number, scoreB: number, rankB: number): boolean {
  return scoreA > scoreB || (scoreA === scoreB && rankA < rankB);
}

/** Every position of the candidates (ranks[i], scores[i]) in result order, written to `into`: a full sort, for deep pages. */
export function sortPositions(ranks: Int32Array, scores: Float64Array, into: Int32Array = new Int32Array(ranks.length)): Int32Array {
  const positions = into.subarray(0, ranks.length);
  for (let i = 0; i < positions.length; i++) positions[i] = i;
  // Ranks are unique, so this is a total order and the sort is deterministic.
  return positions.sort((a, b) => scores[b]! - scores[a]! || ranks[a]! - ranks[b]!);
}

/**
 * The positions (indices into ranks and scores) of results start..end-1 in result order, without sorting
 * every candidate: a bounded heap keeps the best `end` seen so far (n log end), and only those are sorted.
 * A page of 10 from 50,000 hits is one pass over the scores.
 */
export function selectRange(ranks: Int32Array, scores: Float64Array, start: number, end: number): Int32Array {
  const k = Math.min(end, ranks.length);
  if (start >= k) return new Int32Array(0);
  // heap[0] is the worst of the kept positions (the one that comes last), so a better candidate replaces it.
  const heap = new Int32Array(k);
  let size = 0;
  const worse = (i: number, j: number) => before(scores[j]!, ranks[j]!, scores[i]!, ranks[i]!);
  for (let i = 0; i < ranks.length; i++) {
    if (size < k) {
      heap[size] = i;
      siftUp(heap, size++, worse);
    } else if (before(scores[i]!, ranks[i]!, scores[heap[0]!]!, ranks[heap[0]!]!)) {
      heap[0] = i;
      siftDown(heap, size, worse);
    }
  }
  const kept = heap.sort((a, b) => scores[b]! - scores[a]! || ranks[a]! - ranks[b]!);
  return kept.subarray(start, k);
}

function siftUp(heap: Int32Array, at: number, worse: (i: number, j: number) => boolean): void {
  while (at > 0) {
    const parent = (at - 1) >> 1;
    if (!worse(heap[at]!, heap[parent]!)) return;
    [heap[at], heap[parent]] = [heap[parent]!, heap[at]!];
    at = parent;
  }
}

function siftDown(heap: Int32Array, size: number, worse: (i: number, j: number) => boolean): void {
  let at = 0;
  for (;;) {
    const left = 2 * at + 1;
    if (left >= size) return;
    const right = left + 1;
    const child = right < size && worse(heap[right]!, heap[left]!) ? right : left;
    if (!worse(heap[child]!, heap[at]!)) return;
    [heap[at], heap[child]] = [heap[child]!, heap[at]!];
    at = child;
  }
}
