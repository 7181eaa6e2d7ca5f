// tests/golden/AppendOnlyMapOrder.java — golden iteration orders for tests/unit/test_aomap.c.
//
// A line-for-line Java port of Spark's AppendOnlyMap (core/src/main/scala/org/apache/
// spark/util/collection/AppendOnlyMap.scala: changeValue, incrementSize, growTable,
// iterator) keyed by real JVM objects (String, Long, Double, null, and a Scala-2.12
// style tuple), with rehash = Guava's Hashing.murmur3_32().hashInt(h).asInt() taken
// from the real Guava jar (Debian's libguava-java), checked against a port of
// murmur3 x86_32 of the 4-byte int with seed 0. Documentation only: not built by make.
//
//   java -cp /usr/share/java/guava.jar tests/golden/AppendOnlyMapOrder.java
import com.google.common.hash.Hashing;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiFunction;

public class AppendOnlyMapOrder {
    static final class AppendOnlyMap<K, V> {
        private static final double LOAD_FACTOR = 0.7;
        private int capacity = 64;
        private int mask = capacity - 1;
        private int curSize = 0;
        private int growThreshold = (int) (LOAD_FACTOR * capacity);
        private Object[] data = new Object[2 * capacity];
        private boolean haveNullValue = false;
        private V nullValue = null;

        @SuppressWarnings("unchecked")
        V changeValue(K key, BiFunction<Boolean, V, V> updateFunc) {
            Object k = key;
            if (k == null) {
                if (!haveNullValue) incrementSize();
                nullValue = updateFunc.apply(haveNullValue, nullValue);
                haveNullValue = true;
                return nullValue;
            }
            int pos = rehash(k.hashCode()) & mask;
            int i = 1;
            while (true) {
                Object curKey = data[2 * pos];
                if (k == curKey || k.equals(curKey)) {
                    V newValue = updateFunc.apply(true, (V) data[2 * pos + 1]);
                    data[2 * pos + 1] = newValue;
                    return newValue;
                } else if (curKey == null) {
                    V newValue = updateFunc.apply(false, null);
                    data[2 * pos] = k;
                    data[2 * pos + 1] = newValue;
                    incrementSize();
                    return newValue;
                } else {
                    int delta = i;
                    pos = (pos + delta) & mask;
                    i += 1;
                }
            }
        }

        private void incrementSize() {
            curSize += 1;
            if (curSize > growThreshold) growTable();
        }

        static int rehash(int h) { return Hashing.murmur3_32().hashInt(h).asInt(); }

        private void growTable() {
            int newCapacity = capacity * 2;
            Object[] newData = new Object[2 * newCapacity];
            int newMask = newCapacity - 1;
            for (int oldPos = 0; oldPos < capacity; oldPos++) {
                if (data[2 * oldPos] != null) {
                    Object key = data[2 * oldPos];
                    Object value = data[2 * oldPos + 1];
                    int newPos = rehash(key.hashCode()) & newMask;
                    int i = 1;
                    boolean keepGoing = true;
                    while (keepGoing) {
                        Object curKey = newData[2 * newPos];
                        if (curKey == null) {
                            newData[2 * newPos] = key;
                            newData[2 * newPos + 1] = value;
                            keepGoing = false;
                        } else {
                            int delta = i;
                            newPos = (newPos + delta) & newMask;
                            i += 1;
                        }
                    }
                }
            }
            data = newData;
            capacity = newCapacity;
            mask = newMask;
            growThreshold = (int) (LOAD_FACTOR * newCapacity);
        }

        /** The iterator's order: the null key first, then the slots in order. */
        @SuppressWarnings("unchecked")
        List<Object[]> entries() {
            List<Object[]> out = new ArrayList<>();
            if (haveNullValue) out.add(new Object[] {null, nullValue});
            for (int pos = 0; pos < capacity; pos++)
                if (data[2 * pos] != null) out.add(new Object[] {data[2 * pos], data[2 * pos + 1]});
            return out;
        }

        int capacity() { return capacity; }
    }

    // murmur3 x86_32 of one little-endian int, seed 0 (Guava's hashInt)
    static int murmurPort(int input) {
        int k1 = input * 0xcc9e2d51;
        k1 = Integer.rotateLeft(k1, 15);
        k1 *= 0x1b873593;
        int h1 = 0 ^ k1;
        h1 = Integer.rotateLeft(h1, 13);
        h1 = h1 * 5 + 0xe6546b64;
        h1 ^= 4;
        h1 ^= h1 >>> 16;
        h1 *= 0x85ebca6b;
        h1 ^= h1 >>> 13;
        h1 *= 0xc2b2ae35;
        h1 ^= h1 >>> 16;
        return h1;
    }

    // A Scala 2.12 tuple: productHash with seed 0xcafebabe over Statics.anyHash.
    static final class Tup {
        final Object[] items;
        Tup(Object... items) { this.items = items; }
        @Override public boolean equals(Object o) { return o instanceof Tup && Arrays.equals(items, ((Tup) o).items); }
        @Override public int hashCode() {
            int h = 0xcafebabe;
            for (Object o : items) h = mix(h, anyHash(o));
            return finalizeHash(h, items.length);
        }
        @Override public String toString() {
            StringBuilder sb = new StringBuilder("(");
            for (int i = 0; i < items.length; i++) sb.append(i > 0 ? "," : "").append(items[i]);
            return sb.append(")").toString();
        }
        static int mix(int h, int k) { return Integer.rotateLeft(mixLast(h, k), 13) * 5 + 0xe6546b64; }
        static int mixLast(int h, int k) { k *= 0xcc9e2d51; k = Integer.rotateLeft(k, 15); k *= 0x1b873593; return h ^ k; }
        static int finalizeHash(int h, int len) {
            h ^= len; h ^= h >>> 16; h *= 0x85ebca6b; h ^= h >>> 13; h *= 0xc2b2ae35; h ^= h >>> 16; return h;
        }
        static int anyHash(Object x) {
            if (x == null) return 0;
            if (x instanceof Long) { long lv = (Long) x; int iv = (int) lv; return iv == lv ? iv : Long.hashCode(lv); }
            return x.hashCode();
        }
    }

    static String show(Object k) {
        if (k == null) return "null";
        if (k instanceof String) return "\"" + k + "\"";
        if (k instanceof Long) return k + "L";
        return k.toString();
    }

    /** Inserts keys in order with count-style values (1, then +1 per repeat) and prints the order. */
    static void run(String name, Object[] keys) {
        AppendOnlyMap<Object, Long> m = new AppendOnlyMap<>();
        for (Object k : keys) m.changeValue(k, (had, old) -> had ? old + 1 : 1L);
        StringBuilder sb = new StringBuilder();
        StringBuilder counts = new StringBuilder();
        for (Object[] e : m.entries()) {
            sb.append(sb.length() > 0 ? ", " : "").append(show(e[0]));
            counts.append(counts.length() > 0 ? ", " : "").append(e[1]);
        }
        System.out.println("== " + name + " (" + keys.length + " inserts, " + m.entries().size() + " keys, capacity "
                           + m.capacity() + ")");
        System.out.println("order: " + sb);
        System.out.println("values: " + counts);
    }

    public static void main(String[] args) {
        for (int h = -100000; h <= 100000; h++)
            if (murmurPort(h) != AppendOnlyMap.rehash(h)) throw new AssertionError("port disagrees at " + h);
        for (int h : new int[] {Integer.MIN_VALUE, Integer.MAX_VALUE, 99162322})
            if (murmurPort(h) != AppendOnlyMap.rehash(h)) throw new AssertionError("port disagrees at " + h);
        System.out.println("== Guava murmur3_32().hashInt");
        for (int h : new int[] {0, 1, -1, 97, 99162322, Integer.MIN_VALUE, Integer.MAX_VALUE})
            System.out.println(h + " -> " + AppendOnlyMap.rehash(h));

        Object[] letters = new Object[26];
        for (int i = 0; i < 26; i++) letters[i] = String.valueOf((char) ('a' + i));
        run("letters a..z", letters);

        Object[] ks = new Object[100];
        for (int i = 0; i < 100; i++) ks[i] = "k" + i;
        run("k0..k99", ks);

        Object[] longs = new Object[50];
        for (int i = 0; i < 50; i++) longs[i] = (long) (i + 1);
        run("longs 1..50", longs);

        run("special longs", new Object[] {0L, -1L, 1L << 31, -(1L << 40), Long.MIN_VALUE, Long.MAX_VALUE, 42L, -7L});

        run("null among words", new Object[] {"x", null, "y", "x", null, "z"});

        Object[] withNull = new Object[45];
        withNull[0] = null;
        for (int i = 0; i < 44; i++) withNull[i + 1] = "n" + i;
        run("null then n0..n43 (45 keys: the null key counts toward growth)", withNull);

        run("word count", "the quick brown fox jumps over the lazy dog and the end".split(" "));

        run("tuples", new Object[] {new Tup("a", 1L), new Tup("b", 2L), new Tup("a", 2L), new Tup("a", 1L),
                                    new Tup("c", 3L), new Tup(null, 2L)});

        run("doubles", new Object[] {1.5, 0.1, -0.0, 0.0, Double.NaN, 2.0, 1.5});

        run("mixed types", new Object[] {"1", 1L, 1.0, true, false, "true"});
    }
}
