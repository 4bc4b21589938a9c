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

/**
 * The positions of results start..end-1 in result order, in expected linear time: a quickselect puts the
 * result `start` in place with every better one before it, a second one does the same for `end`, and only the
 * page between them is sorted. For deep pages, where a bounded heap of `end` entries or a full sort of every
 * candidate would cost n log n (tens of milliseconds at 500,000 partners). `space` holds the positions.
 */
export function selectWindow(ranks: Int32Array, scores: Float64Array, start: number, end: number, space: Int32Array): Int32Array {
  const n = ranks.length;
  const last = Math.min(end, n);
  if (start >= last) return new Int32Array(0);
  const positions = space.subarray(0, n);
  for (let i = 0; i < n; i++) positions[i] = i;
  nthElement(positions, ranks, scores, 0, n - 1, start);
  if (last < n) nthElement(positions, ranks, scores, start, n - 1, last);
  return positions.subarray(start, last).sort((a, b) => scores[b]! - scores[a]! || ranks[a]! - ranks[b]!);
}

/** Rearranges positions[lo..hi] so that the one at `nth` is where a sort would put it, better ones before it and worse after. */
function nthElement(positions: Int32Array, ranks: Int32Array, scores: Float64Array, lo: number, hi: number, nth: number): void {
  while (hi > lo) {
    // The median of three as the pivot; ranks are unique, so (score, rank) is a total order and ties cannot pile up.
    const mid = (lo + hi) >>> 1;
    const [a, b, c] = [positions[lo]!, positions[mid]!, positions[hi]!];
    const ab = before(scores[a]!, ranks[a]!, scores[b]!, ranks[b]!);
    const bc = before(scores[b]!, ranks[b]!, scores[c]!, ranks[c]!);
    const ac = before(scores[a]!, ranks[a]!, scores[c]!, ranks[c]!);
    const pivot = ab === bc ? b : ab === ac ? c : a;
    const pivotScore = scores[pivot]!;
    const pivotRank = ranks[pivot]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (before(scores[positions[i]!]!, ranks[positions[i]!]!, pivotScore, pivotRank)) i++;
      while (before(pivotScore, pivotRank, scores[positions[j]!]!, ranks[positions[j]!]!)) j--;
      if (i <= j) {
        const swap = positions[i]!;
        positions[i++] = positions[j]!;
        positions[j--] = swap;
      }
    }
    if (nth <= j) hi = j;
    else if (nth >= i) lo = i;
    else return;
  }
}
