// The buffered TCP stream under the USB/IP and vpcd links: a frame and its payload read in
// separate calls from one segment, a message split across segments, a timeout mid-message that
// loses no byte, and a peer's going reported as an io error. Loopback only.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "onshi/core/error.hpp"
#include "onshi/testing/error_of.hpp"
#include "onshi/usb/tcp_stream.hpp"

namespace onshi::usb {
namespace {

using namespace std::chrono_literals;
using onshi::testing::error_of;

struct Pair {
  TcpStream client;
  TcpStream server;
};

Pair connected_pair() {
  TcpListener listener(HostPort{"127.0.0.1", 0});
  Pair p;
  p.client = TcpStream::connect(HostPort{"127.0.0.1", listener.port()}, 2s);
  p.server = listener.accept(2s);
  if (!p.server.is_open()) throw std::runtime_error("no connection accepted");
  return p;
}

TEST(TcpStream, OneSegmentServesSeveralReadsInOrder) {
  Pair p = connected_pair();
  p.client.write_all(Bytes{1, 2, 3, 4, 5, 6, 7, 8, 9});
  ASSERT_TRUE(p.server.wait_readable(2s));
  EXPECT_EQ(p.server.read_exact(4, 2s), (Bytes{1, 2, 3, 4}));
  EXPECT_TRUE(p.server.wait_readable(0ms));  // the rest is buffered already
  EXPECT_EQ(p.server.read_exact(5, 2s), (Bytes{5, 6, 7, 8, 9}));
  EXPECT_FALSE(p.server.wait_readable(20ms));
}

TEST(TcpStream, AMessageSplitAcrossSegmentsIsJoined) {
  Pair p = connected_pair();
  std::thread writer([&] {
    p.client.write_all(Bytes{0xAA, 0xBB});
    std::this_thread::sleep_for(30ms);
    p.client.write_all(Bytes{0xCC});
  });
  EXPECT_EQ(p.server.read_exact(3, 2s), (Bytes{0xAA, 0xBB, 0xCC}));
  writer.join();
}

TEST(TcpStream, ATimeoutMidMessageKeepsWhatArrived) {
  Pair p = connected_pair();
  p.client.write_all(Bytes{1, 2});
  EXPECT_EQ(error_of([&] { p.server.read_exact(4, 50ms); }).code(), ErrorCode::timeout);
  p.client.write_all(Bytes{3, 4});
  EXPECT_EQ(p.server.read_exact(4, 2s), (Bytes{1, 2, 3, 4}));
}

TEST(TcpStream, LargeReadsGrowTheBuffer) {
  Pair p = connected_pair();
  Bytes big(100'000);
  for (std::size_t i = 0; i < big.size(); ++i) big[i] = static_cast<std::uint8_t>(i * 7);
  std::thread writer([&] { p.client.write_all(big); });
  EXPECT_EQ(p.server.read_exact(big.size(), 5s), big);
  writer.join();
}

TEST(TcpStream, APeerThatHangsUpIsAnIoErrorAfterItsLastBytes) {
  Pair p = connected_pair();
  p.client.write_all(Bytes{7, 8});
  p.client.close();
  EXPECT_EQ(p.server.read_exact(1, 2s), (Bytes{7}));
  const Error e = error_of([&] { p.server.read_exact(2, 2s); });
  EXPECT_EQ(e.code(), ErrorCode::io);
  EXPECT_NE(e.message().find("closed by the peer"), std::string::npos) << e.what();
}

}  // namespace
}  // namespace onshi::usb
