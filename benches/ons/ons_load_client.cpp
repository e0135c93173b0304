// onshi-ons-load: drives an HTTPS endpoint over keep-alive (m)TLS, for the mock-vs-nginx bench
// (bench_ons_vs_nginx.sh) and the client-vs-wrk check (bench_ons_load_vs_wrk.sh).
//   --mode keepalive   N connections over --threads epoll loops (keepalive_load.hpp), each
//                      sending POSTs back to back for --seconds, one in flight per connection
//   --mode handshake   N threads, each doing connect (full TLS handshake, new client of
//                      onshi/tls/https_client.hpp) + close
//   --mode idle        open N connections, hold them for --seconds, then close
// Prints one line: mode=.. connections=.. requests=.. errors=.. rps=.. p50_us=.. p99_us=..
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wnull-dereference"
#include <CLI/CLI.hpp>
#pragma GCC diagnostic pop

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <thread>
#include <vector>

#include "keepalive_load.hpp"
#include "onshi/core/error.hpp"
#include "onshi/tls/tls_context.hpp"
#include "onshi/tls/https_client.hpp"

namespace {

using Clock = std::chrono::steady_clock;

struct Tally {
  std::uint64_t ok = 0;
  std::uint64_t errors = 0;
  std::vector<std::uint32_t> latencies_us;
};

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"keep-alive mTLS load client for the ONS bench"};
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;
  std::string path = "/onshi/v1/qualification/card";
  std::string body_file;
  std::string mode = "keepalive";
  unsigned connections = 16;
  unsigned loops = std::max(1u, std::thread::hardware_concurrency());
  double seconds = 5;
  onshi::tls::HttpsClientOptions options;
  std::string ca;
  std::string cert;
  std::string key;
  app.add_option("--host", host, "server address (an IPv4 address in --mode keepalive)")->capture_default_str();
  app.add_option("--port", port)->required();
  app.add_option("--path", path)->capture_default_str();
  app.add_option("--body", body_file, "request body file (POST application/xml)")->required();
  app.add_option("--mode", mode)->check(CLI::IsMember({"keepalive", "handshake", "idle"}));
  app.add_option("--connections", connections)->check(CLI::Range(1u, 5000u));
  app.add_option("--threads", loops, "event loops of --mode keepalive")->check(CLI::Range(1u, 64u))->capture_default_str();
  app.add_option("--seconds", seconds)->check(CLI::Range(0.1, 600.0));
  app.add_option("--ca", ca)->required();
  app.add_option("--cert", cert, "client certificate (PEM); none = no client authentication");
  app.add_option("--key", key, "its private key (PEM)");
  CLI11_PARSE(app, argc, argv);

  std::ifstream in(body_file, std::ios::binary);
  if (!in) {
    std::cerr << "onshi-ons-load: cannot read " << body_file << "\n";
    return 1;
  }
  std::ostringstream content;
  content << in.rdbuf();
  const std::string body = content.str();
  options.tls.ca_file = ca;
  options.tls.cert_file = cert;
  options.tls.key_file = key;
  options.tls.server_name = host;
  options.timeout = std::chrono::milliseconds(10'000);

  if (mode == "idle") {
    std::vector<std::unique_ptr<onshi::tls::HttpsClient>> held;
    std::uint64_t errors = 0;
    for (unsigned i = 0; i < connections; ++i) {
      try {
        auto c = std::make_unique<onshi::tls::HttpsClient>(options);
        c->connect(host, port);
        held.push_back(std::move(c));
      } catch (const onshi::Error& e) {
        if (errors++ == 0) std::cerr << "onshi-ons-load: " << e.what() << "\n";
      }
    }
    std::cout << "idle_ready connections=" << held.size() << " errors=" << errors << std::endl;
    std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
    std::cout << "mode=idle connections=" << held.size() << " errors=" << errors << std::endl;
    return 0;
  }

  if (mode == "keepalive") {
    try {
      onshi::bench::KeepaliveLoadOptions load;
      load.host = host;
      load.port = port;
      load.connections = connections;
      load.threads = loops;
      load.duration = std::chrono::duration<double>(seconds);
      load.request = "POST " + path + " HTTP/1.1\r\nHost: " + host + ":" + std::to_string(port) +
                     "\r\nUser-Agent: onshi-ons-load\r\nContent-Type: application/xml\r\nContent-Length: " +
                     std::to_string(body.size()) + "\r\n\r\n" + body;
      const auto ctx = onshi::tls::make_client_tls_context(options.tls);
      auto r = onshi::bench::run_keepalive_load(ctx.native_handle(), load);
      if (!r.first_error.empty()) std::cerr << "onshi-ons-load: first error: " << r.first_error << "\n";
      std::sort(r.latencies_us.begin(), r.latencies_us.end());
      auto at = [&](double p) -> std::uint32_t {
        if (r.latencies_us.empty()) return 0;
        return r.latencies_us[static_cast<std::size_t>(p * static_cast<double>(r.latencies_us.size() - 1))];
      };
      std::printf("mode=keepalive connections=%u threads=%u requests=%llu errors=%llu rps=%.1f p50_us=%u p99_us=%u\n",
                  connections, loops, static_cast<unsigned long long>(r.ok),
                  static_cast<unsigned long long>(r.errors), static_cast<double>(r.ok) / r.elapsed_s, at(0.50),
                  at(0.99));
      return r.ok > 0 && r.errors == 0 ? 0 : 1;
    } catch (const std::exception& e) {
      std::cerr << "onshi-ons-load: " << e.what() << "\n";
      return 1;
    }
  }

  const auto deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
  std::vector<Tally> tallies(connections);
  std::vector<std::thread> threads;
  const auto start = Clock::now();
  for (unsigned t = 0; t < connections; ++t) {
    threads.emplace_back([&, t] {
      Tally& tally = tallies[t];
      while (Clock::now() < deadline) {
        const auto t0 = Clock::now();
        try {
          onshi::tls::HttpsClient fresh(options);  // no session to resume: a full handshake
          fresh.connect(host, port);
          fresh.close();
          ++tally.ok;
          tally.latencies_us.push_back(static_cast<std::uint32_t>(
              std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - t0).count()));
        } catch (const onshi::Error& e) {
          if (tally.errors++ == 0 && t == 0) std::cerr << "onshi-ons-load: " << e.what() << "\n";
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  Tally all;
  for (auto& t : tallies) {
    all.ok += t.ok;
    all.errors += t.errors;
    all.latencies_us.insert(all.latencies_us.end(), t.latencies_us.begin(), t.latencies_us.end());
  }
  std::sort(all.latencies_us.begin(), all.latencies_us.end());
  auto pct = [&](double p) -> std::uint32_t {
    if (all.latencies_us.empty()) return 0;
    return all.latencies_us[static_cast<std::size_t>(p * static_cast<double>(all.latencies_us.size() - 1))];
  };
  std::printf("mode=%s connections=%u requests=%llu errors=%llu rps=%.1f p50_us=%u p99_us=%u\n", mode.c_str(),
              connections, static_cast<unsigned long long>(all.ok), static_cast<unsigned long long>(all.errors),
              static_cast<double>(all.ok) / elapsed, pct(0.50), pct(0.99));
  return all.ok > 0 ? 0 : 1;
}
