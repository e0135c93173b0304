#include "onshi/load/threshold.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>

#include "onshi/core/error.hpp"
#include "onshi/flow/reception_flow.hpp"
#include "onshi/load/reception_outcome.hpp"

namespace onshi::load {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t'; }
bool is_metric_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.';
}

bool is_step(std::string_view name) {
  return name == face_taken_up_step || std::any_of(std::begin(flow::step_names), std::end(flow::step_names),
                                                   [&](const char* step) { return name == step; });
}

std::string known_metrics() {
  std::string text = "reception";
  for (const char* step : flow::step_names) text += std::string(", ") + step;
  return text + ", " + face_taken_up_step + " (each .pN, .min, .max, .mean, optionally after .uncorrected), errors.rate, errors.count, throughput, "
                "generator.max_lag";
}

// Reads the expression left to right; every error names the expression and the position.
class ThresholdParser {
 public:
  explicit ThresholdParser(std::string_view text) : text_(text) {}

  Threshold parse() {
    Threshold t;
    t.expression = std::string(text_);
    skip_spaces();
    parse_metric(t);
    skip_spaces();
    parse_operator(t);
    skip_spaces();
    parse_limit(t);
    return t;
  }

 private:
  [[noreturn]] void fail(std::size_t at, const std::string& what) const {
    throw Error(ErrorCode::invalid_argument,
                "threshold '" + std::string(text_) + "' at position " + std::to_string(at + 1) + ": " + what);
  }
  void skip_spaces() {
    while (pos_ < text_.size() && is_space(text_[pos_])) ++pos_;
  }

  void parse_metric(Threshold& t) {
    const std::size_t start = pos_;
    while (pos_ < text_.size() && is_metric_char(text_[pos_])) ++pos_;
    const std::string_view metric = text_.substr(start, pos_ - start);
    if (metric.empty()) fail(start, "expected a metric: " + known_metrics());
    if (metric == "errors.rate") {
      t.metric = ThresholdMetric::error_rate;
      return;
    }
    if (metric == "errors.count") {
      t.metric = ThresholdMetric::error_count;
      return;
    }
    if (metric == "throughput") {
      t.metric = ThresholdMetric::throughput;
      return;
    }
    if (metric == "generator.max_lag") {
      t.metric = ThresholdMetric::max_lag;
      return;
    }
    const std::size_t dot = metric.find('.');
    const std::string_view name = metric.substr(0, dot);
    if (name != "reception" && !is_step(name)) fail(start, "unknown metric '" + std::string(metric) + "'; known: " + known_metrics());
    t.metric = ThresholdMetric::latency;
    t.tally = std::string(name);
    if (dot == std::string_view::npos) fail(start + metric.size(), "'" + t.tally + "' needs a statistic: .p99, .p99.9, .min, .max or .mean");
    std::size_t stat_at = start + dot + 1;
    std::string_view stat = metric.substr(dot + 1);
    if (stat == "uncorrected" || stat.starts_with("uncorrected.")) {
      t.uncorrected = true;
      stat.remove_prefix(std::min<std::size_t>(stat.size(), 12));
      stat_at += 12;
      if (stat.empty()) fail(start + metric.size(), "'" + std::string(metric) + "' needs a statistic: .p99, .min, .max or .mean");
    }
    if (stat == "min") {
      t.statistic = LatencyStatistic::min;
    } else if (stat == "max") {
      t.statistic = LatencyStatistic::max;
    } else if (stat == "mean") {
      t.statistic = LatencyStatistic::mean;
    } else if (stat.size() > 1 && stat[0] == 'p') {
      t.statistic = LatencyStatistic::percentile;
      t.percentile = parse_percentile(stat.substr(1), stat_at + 1);
    } else {
      fail(stat_at, "unknown statistic '" + std::string(stat) + "' (known: pN such as p50, p99, p99.9; min, max, mean)");
    }
  }

  // "99", "99.9", and summary.json's "999" / "9999" for 99.9 / 99.99.
  double parse_percentile(std::string_view digits, std::size_t at) const {
    double value = 0.0;
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (ec != std::errc() || end != digits.data() + digits.size()) {
      fail(at, "percentile '" + std::string(digits) + "' is not a number");
    }
    if (digits.find('.') == std::string_view::npos && value > 100.0 && digits.starts_with("99") &&
        digits.find_first_not_of('9') == std::string_view::npos) {
      value = 100.0 - 100.0 * std::pow(10.0, -static_cast<double>(digits.size()));  // 999 -> 99.9
    }
    if (!(value > 0.0) || value > 100.0) fail(at, "percentile " + std::string(digits) + " must be > 0 and at most 100");
    return value;
  }

  void parse_operator(Threshold& t) {
    const std::string_view rest = text_.substr(pos_);
    struct Spelling {
      std::string_view text;
      ThresholdOp op;
    };
    for (const Spelling& s : {Spelling{"<=", ThresholdOp::less_equal}, Spelling{">=", ThresholdOp::greater_equal},
                              Spelling{"==", ThresholdOp::equal}, Spelling{"<", ThresholdOp::less},
                              Spelling{">", ThresholdOp::greater}}) {
      if (rest.starts_with(s.text)) {
        t.op = s.op;
        pos_ += s.text.size();
        return;
      }
    }
    fail(pos_, rest.empty() ? "expected an operator (<, <=, >, >=, ==) and a limit" : "expected an operator (<, <=, >, >=, ==), found '" + std::string(rest.substr(0, 1)) + "'");
  }

  void parse_limit(Threshold& t) {
    const std::size_t number_at = pos_;
    const char* begin = text_.data() + pos_;
    const auto [end, ec] = std::from_chars(begin, text_.data() + text_.size(), t.limit);
    if (ec != std::errc() || end == begin) fail(number_at, "expected a number after the operator");
    pos_ += static_cast<std::size_t>(end - begin);
    skip_spaces();
    const std::size_t unit_at = pos_;
    std::size_t unit_end = text_.size();
    while (unit_end > pos_ && is_space(text_[unit_end - 1])) --unit_end;
    t.unit = std::string(text_.substr(pos_, unit_end - pos_));
    if (t.unit.find_first_of(" \t") != std::string::npos) fail(unit_at, "unexpected text '" + t.unit + "' after the limit");
    switch (t.metric) {
      case ThresholdMetric::latency:
      case ThresholdMetric::max_lag:
        if (t.unit == "us" || t.unit == "\xC2\xB5s") {
          t.unit_scale = 1.0;
        } else if (t.unit == "ms") {
          t.unit_scale = 1e3;
        } else if (t.unit == "s") {
          t.unit_scale = 1e6;
        } else if (t.unit == "min") {
          t.unit_scale = 60e6;
        } else {
          fail(unit_at, t.unit.empty() ? "a latency limit needs a unit: us, ms, s or min"
                                       : "unknown unit '" + t.unit + "' for a latency (known: us, ms, s, min)");
        }
        break;
      case ThresholdMetric::error_rate:
        if (t.unit == "%") {
          t.unit_scale = 0.01;
          if (t.limit > 100.0) fail(number_at, "a rate is at most 100%");
        } else if (t.unit.empty()) {
          if (t.limit > 1.0) fail(number_at, "a rate without '%' is a fraction from 0 to 1 (or write 0.1%)");
        } else {
          fail(unit_at, "unknown unit '" + t.unit + "' for errors.rate (known: %, or none for a fraction)");
        }
        break;
      case ThresholdMetric::error_count:
        if (!t.unit.empty()) fail(unit_at, "errors.count is a count and takes no unit");
        break;
      case ThresholdMetric::throughput:
        if (t.unit == "/s" || t.unit.empty()) {
          t.unit_scale = 1.0;
        } else if (t.unit == "/min") {
          t.unit_scale = 1.0 / 60.0;
        } else {
          fail(unit_at, "unknown unit '" + t.unit + "' for throughput (known: /s, /min)");
        }
        break;
    }
    if (t.limit < 0.0) fail(number_at, "a limit cannot be negative");
  }

  std::string_view text_;
  std::size_t pos_ = 0;
};

std::string_view trimmed(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

bool compare(double value, ThresholdOp op, double limit) {
  switch (op) {
    case ThresholdOp::less: return value < limit;
    case ThresholdOp::less_equal: return value <= limit;
    case ThresholdOp::greater: return value > limit;
    case ThresholdOp::greater_equal: return value >= limit;
    case ThresholdOp::equal: return value == limit;
  }
  return false;
}

std::optional<double> measure(const Threshold& t, const ThresholdInputs& in) {
  const LatencyTally& reception = in.recorder.reception();
  switch (t.metric) {
    case ThresholdMetric::latency: {
      const LatencyTally* tally = nullptr;
      if (t.tally == "reception") {
        tally = &reception;
      } else {
        const auto& names = in.recorder.step_names();
        if (std::find(names.begin(), names.end(), t.tally) != names.end()) tally = &in.recorder.step(t.tally);
      }
      if (tally == nullptr || tally->count == 0) return std::nullopt;
      const HdrHistogram& h = t.uncorrected ? tally->uncorrected : tally->corrected;
      double us = 0.0;
      switch (t.statistic) {
        case LatencyStatistic::percentile: us = static_cast<double>(h.value_at_percentile(t.percentile)); break;
        case LatencyStatistic::min: us = static_cast<double>(h.min()); break;
        case LatencyStatistic::max: us = static_cast<double>(h.max()); break;
        case LatencyStatistic::mean: us = h.mean(); break;
      }
      return us / t.unit_scale;
    }
    case ThresholdMetric::error_rate:
      if (reception.count == 0) return std::nullopt;
      return static_cast<double>(reception.errors) / static_cast<double>(reception.count) / t.unit_scale;
    case ThresholdMetric::error_count: return static_cast<double>(reception.errors);
    case ThresholdMetric::throughput: return in.throughput_per_s / t.unit_scale;
    case ThresholdMetric::max_lag: return static_cast<double>(to_micros(in.max_lag)) / t.unit_scale;
  }
  return std::nullopt;
}

}  // namespace

Threshold parse_threshold(std::string_view expression) {
  const std::string_view text = trimmed(expression);
  if (text.empty()) throw Error(ErrorCode::invalid_argument, "threshold '': empty expression");
  return ThresholdParser(text).parse();
}

ThresholdVerdict evaluate(const Threshold& threshold, const ThresholdInputs& inputs) {
  ThresholdVerdict verdict;
  verdict.expression = threshold.expression;
  verdict.unit = threshold.unit;
  verdict.value = measure(threshold, inputs);
  verdict.pass = verdict.value.has_value() && compare(*verdict.value, threshold.op, threshold.limit);
  return verdict;
}

std::string describe_value(const ThresholdVerdict& verdict) {
  if (!verdict.value) return "not measured (no samples)";
  char text[64];
  std::snprintf(text, sizeof text, "%.6g", *verdict.value);
  std::string out = text;
  if (!verdict.unit.empty()) out += (verdict.unit == "%" || verdict.unit[0] == '/') ? verdict.unit : " " + verdict.unit;
  return out;
}

bool judged_while_running(const Threshold& threshold) { return threshold.metric != ThresholdMetric::throughput; }

}  // namespace onshi::load
