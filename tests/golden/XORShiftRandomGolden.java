// tests/golden/XORShiftRandomGolden.java — golden values for tests/unit/test_xorshift.c.
//
// Spark's org.apache.spark.util.random.XORShiftRandom (core/src/main/scala/org/apache/
// spark/util/random/XORShiftRandom.scala), written as the same subclass of
// java.util.Random: next(bits) is overridden, so nextInt(bound) is the running JDK's
// own java.util.Random.nextInt(int). hashSeed uses scala.util.hashing.MurmurHash3
// .bytesHash from a real Scala library (Debian's scala package, 2.11.12; bytesHash is
// the same in 2.12 and 2.13), checked against a port of it. Documentation only.
//
//   apt-get install scala   # for /usr/share/scala-2.11/lib/scala-library.jar
//   java -cp /usr/share/scala-2.11/lib/scala-library.jar tests/golden/XORShiftRandomGolden.java
import java.nio.ByteBuffer;
import java.util.Random;

public class XORShiftRandomGolden {
    static final int ARRAY_SEED = 0x3c074a61; // MurmurHash3.arraySeed

    static int bytesHash(byte[] data, int seed) {
        return scala.util.hashing.MurmurHash3$.MODULE$.bytesHash(data, seed);
    }

    // Port of MurmurHash3.bytesHash, to check the library call above.
    static int mix(int h, int k) { return Integer.rotateLeft(mixLast(h, k), 13) * 5 + 0xe6546b64; }
    static int mixLast(int h, int k) { k *= 0xcc9e2d51; k = Integer.rotateLeft(k, 15); k *= 0x1b873593; return h ^ k; }
    static int bytesHashPort(byte[] data, int seed) {
        int len = data.length, h = seed, i = 0;
        while (len >= 4) {
            int k = (data[i] & 0xFF) | (data[i + 1] & 0xFF) << 8 | (data[i + 2] & 0xFF) << 16 | (data[i + 3] & 0xFF) << 24;
            h = mix(h, k);
            i += 4;
            len -= 4;
        }
        int k = 0;
        if (len == 3) k ^= (data[i + 2] & 0xFF) << 16;
        if (len >= 2) k ^= (data[i + 1] & 0xFF) << 8;
        if (len >= 1) { k ^= data[i] & 0xFF; h = mixLast(h, k); }
        h ^= data.length; h ^= h >>> 16; h *= 0x85ebca6b; h ^= h >>> 13; h *= 0xc2b2ae35; h ^= h >>> 16;
        return h;
    }

    static long hashSeed(long seed) {
        byte[] bytes = ByteBuffer.allocate(Long.BYTES).putLong(seed).array();
        int lowBits = bytesHash(bytes, ARRAY_SEED);
        int highBits = bytesHash(bytes, lowBits);
        if (lowBits != bytesHashPort(bytes, ARRAY_SEED) || highBits != bytesHashPort(bytes, lowBits))
            throw new AssertionError("bytesHash port disagrees for seed " + seed);
        return ((long) highBits << 32) | (lowBits & 0xFFFFFFFFL);
    }

    static final class XORShiftRandom extends Random {
        private long seed;
        XORShiftRandom(long init) {
            super(init);
            seed = hashSeed(init);
        }
        @Override protected int next(int bits) {
            long nextSeed = seed ^ (seed << 21);
            nextSeed ^= (nextSeed >>> 35);
            nextSeed ^= (nextSeed << 4);
            seed = nextSeed;
            return (int) (nextSeed & ((1L << bits) - 1));
        }
        @Override public void setSeed(long s) { seed = hashSeed(s); }
    }

    public static void main(String[] args) {
        System.out.println("== hashSeed");
        for (long s : new long[] {0, 1, 2, 7, -1, Long.MIN_VALUE})
            System.out.println(s + " -> " + hashSeed(s) + String.format(" (0x%016x)", hashSeed(s)));
        System.out.println("== nextInt(bound), 12 draws per (seed, bound)");
        for (long seed : new long[] {0, 1, 2, 7}) {
            for (int bound : new int[] {2, 3, 5, 10, 1 << 30, (1 << 30) + 1, Integer.MAX_VALUE}) {
                XORShiftRandom r = new XORShiftRandom(seed);
                StringBuilder sb = new StringBuilder();
                for (int i = 0; i < 12; i++) sb.append(i > 0 ? ", " : "").append(r.nextInt(bound));
                System.out.println("seed " + seed + " bound " + bound + ": " + sb);
            }
        }
        System.out.println("== repartition start: new XORShiftRandom(index).nextInt(numPartitions), index 0..15");
        for (int n : new int[] {2, 3, 4, 8, 200}) {
            StringBuilder sb = new StringBuilder();
            for (int index = 0; index < 16; index++) sb.append(index > 0 ? ", " : "").append(new XORShiftRandom(index).nextInt(n));
            System.out.println("numPartitions " + n + ": " + sb);
        }
    }
}
