// tests/golden/JvmValues.java — golden values for tests/unit/test_value.c, from the JVM itself.
//
// String/Long/Double/Boolean.hashCode, HashPartitioner.getPartition
// (Utils.nonNegativeMod(key.hashCode, n), 0 for null) and Double.toString come
// from the running JDK. Tuple hashCodes come from a port of Scala 2.12's
// MurmurHash3.productHash (seed 0xcafebabe, no productPrefix) with
// scala.runtime.Statics.anyHash (longHash, doubleHash); TupleHashes.java
// checks the same tuples with a real Scala. Documentation only: not built by make.
//
//   java tests/golden/JvmValues.java
public class JvmValues {
    // ---- scala.util.hashing.MurmurHash3 / scala.runtime.Statics (2.12) -------------
    static int mix(int h, int k) { return Integer.rotateLeft(mixLast(h, k), 13) * 5 + 0xe6546b64; }
    static int mixLast(int h, int k) { k *= 0xcc9e2d51; k = Integer.rotateLeft(k, 15); k *= 0x1b873593; return h ^ k; }
    static int finalizeHash(int h, int len) {
        h ^= len; h ^= h >>> 16; h *= 0x85ebca6b; h ^= h >>> 13; h *= 0xc2b2ae35; h ^= h >>> 16; return h;
    }
    static int longHash(long lv) { int iv = (int) lv; return iv == lv ? iv : Long.hashCode(lv); }
    static int doubleHash(double dv) {
        int iv = (int) dv; if (iv == dv) return iv;
        long lv = (long) dv; if (lv == dv) return Long.hashCode(lv);
        float fv = (float) dv; if (fv == dv) return Float.hashCode(fv);
        return Double.hashCode(dv);
    }
    static int anyHash(Object x) {
        if (x == null) return 0;
        if (x instanceof Long) return longHash((Long) x);
        if (x instanceof Integer) return (Integer) x;
        if (x instanceof Double) return doubleHash((Double) x);
        return x.hashCode();
    }
    static final class Tup {
        final Object[] items;
        Tup(Object... items) { this.items = items; }
        @Override public int hashCode() {
            int h = 0xcafebabe;
            for (Object o : items) h = mix(h, anyHash(o));
            return finalizeHash(h, items.length);
        }
    }

    static int partition(Object key, int n) {
        if (key == null) return 0;
        int raw = key.hashCode() % n;
        return raw + (raw < 0 ? n : 0);
    }

    static String hex(int h) { return String.format("0x%08x", h); }

    public static void main(String[] args) {
        System.out.println("== String.hashCode");
        String[] strs = {"", "a", "hello", "na\u00efve", "\u65e5\u672c", "\ud83d\ude00", "a\ud83d\ude00b"};
        for (String s : strs) System.out.println(s + " -> " + s.hashCode() + " " + hex(s.hashCode()));
        System.out.println("== String.hashCode of malformed UTF-8, as new String(bytes, UTF_8) decodes it");
        int[][] bad = {{0xE6, 0x97, 'a'}, {0xED, 0xA0, 0x80}, {0xF0, 0x9F, 0x98}, {0xC0, 0x80}, {0xF4, 0x90, 0x80, 0x80},
                       {0xE0, 0x80, 0x80}, {'a', 0xFF, 'b'}};
        for (int[] c : bad) {
            byte[] b = new byte[c.length];
            StringBuilder hexs = new StringBuilder();
            for (int i = 0; i < c.length; i++) { b[i] = (byte) c[i]; hexs.append(String.format("%02x ", c[i])); }
            String d = new String(b, java.nio.charset.StandardCharsets.UTF_8);
            System.out.println(hexs + "-> " + d.length() + " chars, hashCode " + d.hashCode());
        }
        System.out.println("== Long.hashCode");
        long[] longs = {0L, 1L, -1L, 1L << 31, -(1L << 40), Long.MIN_VALUE, Long.MAX_VALUE, 42L, -7L};
        for (long l : longs) System.out.println(l + " -> " + Long.hashCode(l));
        System.out.println("== Double.hashCode");
        double[] ds = {0.0, -0.0, 1.5, Double.NaN, 1.0, Double.POSITIVE_INFINITY, 0.1};
        for (double d : ds) System.out.println(d + " -> " + Double.hashCode(d));
        System.out.println("== Boolean.hashCode");
        System.out.println("true -> " + Boolean.hashCode(true) + ", false -> " + Boolean.hashCode(false));
        System.out.println("== Tuple hashCode (Scala 2.12 productHash port)");
        Object[][] tuples = {
            {"a", 1}, {"a", 1L}, {1.0, "x"}, {null, 2}, {"a", 1, true},
            {"hello", (1L << 32) | 0x80000000L}, {"k", 1.5}, {"k", 0.1}, {"k", Math.pow(2, 40)},
            {"k", 9.223372036854775808E18}, {new Tup("a", 1), 2L}, {"k", Double.POSITIVE_INFINITY},
            {"k", Double.NaN}, {"k", -0.0},
        };
        String[] names = {
            "(\"a\",1)", "(\"a\",1L)", "(1.0,\"x\")", "(null,2)", "(\"a\",1,true)",
            "(\"hello\",0x180000000L)", "(\"k\",1.5)", "(\"k\",0.1)", "(\"k\",2^40 double)",
            "(\"k\",2^63 double)", "((\"a\",1),2L)", "(\"k\",Infinity)", "(\"k\",NaN)", "(\"k\",-0.0)",
        };
        for (int i = 0; i < tuples.length; i++) {
            int h = new Tup(tuples[i]).hashCode();
            System.out.println(names[i] + " -> " + h);
        }
        System.out.println("== HashPartitioner.getPartition for 2, 3, 4 partitions");
        Object[] keys = {"a", "b", "hello", "na\u00efve", "\ud83d\ude00", 42L, -7L, Long.MIN_VALUE, 1.5, -0.0, true, false,
                         new Tup("a", 1), null};
        for (Object k : keys) {
            String name = k instanceof Tup ? "(\"a\",1)" : String.valueOf(k) + (k instanceof Long ? "L" : "");
            System.out.println(name + " -> " + partition(k, 2) + " " + partition(k, 3) + " " + partition(k, 4));
        }
        System.out.println("== Double.toString");
        double[] ts = {1.0, 0.1, 100.0, 1e7, 1.0E-4, 123456.789, -2.5, 1e21, 5e-324, Double.NaN,
                       Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, 0.001, 9999999.0, 1e-3 * 0.999,
                       2e-3, 1e23, 2e23, 1.0 / 3, 1e100, Double.MAX_VALUE, 1e-323, 4.35, 0.3, 2.0E-3, 12345678.9,
                       Math.pow(2, 53) + 2, Math.pow(2, 60) + 256, 1.2867339994152361E18, Math.pow(2, 62), 1e18,
                       123456789012345678.0, -9.007199254740994E15, 0.001 - Math.ulp(0.001)};
        for (double d : ts) System.out.println(Double.toString(d));
    }
}
