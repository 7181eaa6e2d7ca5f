// tests/golden/TupleHashes.java — tuple hashCodes from a real Scala library, to check
// the Scala 2.12 productHash port in JvmValues.java. Debian 12's `scala` package is
// Scala 2.11.12 (its compiler does not run on Java 17, its library does): 2.11's
// productHash is 2.12's (seed 0xcafebabe, no productPrefix). The ## of the items
// (a Long outside the Int range, doubles that are exact longs or floats) is where
// Scala versions have differed; the "edge" lines check those against the port too
// (all agree with JvmValues.java on Scala 2.11.12). Scala 2.13's productHash also
// mixes in productPrefix ("Tuple2".hashCode), so Spark on 2.13 hashes tuples otherwise.
// Documentation only: not built by make.
//
//   apt-get install scala   # for /usr/share/scala-2.11/lib/scala-library.jar
//   java -cp /usr/share/scala-2.11/lib/scala-library.jar tests/golden/TupleHashes.java
import scala.Tuple2;
import scala.Tuple3;

public class TupleHashes {
    public static void main(String[] args) {
        System.out.println("scala " + scala.util.Properties.versionNumberString());
        System.out.println("(\"a\",1) -> " + new Tuple2<>("a", 1).hashCode());
        System.out.println("(\"a\",1L) -> " + new Tuple2<>("a", 1L).hashCode());
        System.out.println("(1.0,\"x\") -> " + new Tuple2<>(1.0, "x").hashCode());
        System.out.println("(null,2) -> " + new Tuple2<>(null, 2).hashCode());
        System.out.println("(\"a\",1,true) -> " + new Tuple3<>("a", 1, true).hashCode());
        System.out.println("(\"k\",1.5) -> " + new Tuple2<>("k", 1.5).hashCode());
        System.out.println("(\"k\",0.1) -> " + new Tuple2<>("k", 0.1).hashCode());
        System.out.println("((\"a\",1),2L) -> " + new Tuple2<>(new Tuple2<>("a", 1), 2L).hashCode());
        System.out.println("(\"k\",Infinity) -> " + new Tuple2<>("k", Double.POSITIVE_INFINITY).hashCode());
        System.out.println("(\"k\",NaN) -> " + new Tuple2<>("k", Double.NaN).hashCode());
        System.out.println("(\"k\",-0.0) -> " + new Tuple2<>("k", -0.0).hashCode());
        System.out.println("edge: (\"hello\",0x180000000L) -> " + new Tuple2<>("hello", 0x180000000L).hashCode());
        System.out.println("edge: (\"k\",2^40 double) -> " + new Tuple2<>("k", Math.pow(2, 40)).hashCode());
        System.out.println("edge: (\"k\",2^63 double) -> " + new Tuple2<>("k", 9.223372036854775808E18).hashCode());
    }
}
