// The independent reader of our interval logs: HdrHistogram's own Java HistogramLogReader
// (Debian libhdrhistogram-java). Adds up every interval of each tag and prints, per tag,
//   TAG count=N min=.. max=.. p50=.. p90=.. p99=.. p999=..
// Run as a single-file program: java -cp /usr/share/java/hdrhistogram.jar HlogSummary.java LOG
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;

public class HlogSummary {
  public static void main(String[] args) throws Exception {
    HistogramLogReader reader = new HistogramLogReader(args[0]);
    Map<String, Histogram> byTag = new TreeMap<>();
    int intervals = 0;
    EncodableHistogram encoded;
    while ((encoded = reader.nextIntervalHistogram()) != null) {
      intervals++;
      final Histogram h = (Histogram) encoded;
      final String tag = h.getTag() == null ? "(untagged)" : h.getTag();
      byTag.computeIfAbsent(tag, t -> new Histogram(h.getLowestDiscernibleValue(), h.getHighestTrackableValue(),
                                                    h.getNumberOfSignificantValueDigits())).add(h);
    }
    System.out.println("intervals=" + intervals);
    for (Map.Entry<String, Histogram> e : byTag.entrySet()) {
      Histogram h = e.getValue();
      System.out.printf("%s count=%d min=%d max=%d p50=%d p90=%d p99=%d p999=%d%n", e.getKey(), h.getTotalCount(),
                        h.getMinValue(), h.getMaxValue(), h.getValueAtPercentile(50.0), h.getValueAtPercentile(90.0),
                        h.getValueAtPercentile(99.0), h.getValueAtPercentile(99.9));
    }
  }
}
