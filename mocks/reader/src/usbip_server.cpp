#include "onshi/mocks/reader/usbip_server.hpp"

#include <condition_variable>
#include <deque>
#include <iostream>
#include <map>
#include <utility>

#include "onshi/core/error.hpp"
#include "onshi/usb/usbip_protocol.hpp"

namespace onshi::mocks::reader {
namespace {

using namespace std::chrono_literals;
using namespace usb::usbip;

constexpr Duration request_timeout = 5s;
constexpr Duration poll_interval = 50ms;

// One imported connection: the reader thread (this object's run()) parses URBs; one worker
// per IN endpoint completes the held IN URBs when the device has data. A bulk IN URB whose
// data is already there (a CCID answer follows its command's OUT URB at once) is answered by
// the reader thread itself: a hand-over to the worker costs two context switches per APDU.
class ImportSession {
 public:
  ImportSession(usb::UsbDeviceEmulation& device, usb::TcpStream& stream, const std::atomic<bool>& stopping,
                std::atomic<std::uint64_t>& urbs, std::uint64_t drop_mid_bulk_in_reply)
      : device_(device),
        stream_(stream),
        stopping_(stopping),
        urbs_(urbs),
        drop_countdown_(drop_mid_bulk_in_reply),
        answer_ready_in_urbs_(drop_mid_bulk_in_reply == 0) {
    for (const usb::InterfaceDescriptor& i : device_.configuration_descriptor().interfaces) {
      for (const usb::EndpointDescriptor& e : i.endpoints) {
        if (e.is_in()) in_types_[static_cast<std::uint8_t>(e.address & 0x0F)] = e.transfer_type;
      }
    }
  }

  void run() {
    for (const auto& [ep, type] : in_types_) {
      workers_.emplace_back([this, ep = ep, type = type] { complete_in_urbs(ep, type); });
    }
    try {
      while (!stopping_ && !done_ && device_.attached()) {
        if (!stream_.wait_readable(poll_interval)) continue;
        const UrbHeader h = UrbHeader::parse(stream_.read_exact(urb_header_size, request_timeout));
        ++urbs_;
        if (h.command == cmd_submit) {
          handle_submit(h);
        } else if (h.command == cmd_unlink) {
          handle_unlink(h);
        } else {
          throw Error(ErrorCode::protocol, "client sent reply command " + std::to_string(h.command), "USB/IP import");
        }
      }
    } catch (const Error& e) {
      // Client gone or broke the protocol: end the import, keep the server running.
      if (e.code() != ErrorCode::io) std::cerr << "usbip server: " << e.what() << "\n";
    }
    {
      std::lock_guard lock(mutex_);
      done_ = true;
    }
    ready_.notify_all();
    for (std::thread& t : workers_) t.join();
  }

 private:
  struct HeldUrb {
    UrbHeader header;
  };

  void send(const UrbHeader& reply, ByteView data = {}) {
    Bytes wire = reply.encode();
    append(wire, data);
    std::lock_guard lock(write_mutex_);
    stream_.write_all(wire);
  }

  // The header and half the data, then the connection goes (drop_mid_bulk_in_reply).
  void drop_mid_reply(const UrbHeader& reply, ByteView data) {
    Bytes wire = reply.encode();
    append(wire, data.first(data.size() / 2));
    std::lock_guard lock(write_mutex_);
    stream_.write_all(wire);
    stream_.shutdown();
  }

  void handle_submit(const UrbHeader& h) {
    Bytes out_data;
    if (h.direction == direction_out && h.transfer_buffer_length > 0) {
      if (h.transfer_buffer_length > 1024 * 1024) {
        throw Error(ErrorCode::malformed_input, "OUT URB of " + std::to_string(h.transfer_buffer_length) + " bytes",
                    "USB/IP seqnum " + std::to_string(h.seqnum));
      }
      out_data = stream_.read_exact(h.transfer_buffer_length, request_timeout);
    }
    if (h.ep == 0) {
      const usb::SetupPacket setup = usb::SetupPacket::parse(h.setup);
      try {
        if (setup.is_in()) {
          Bytes data = device_.control_in(setup);
          if (data.size() > h.transfer_buffer_length) data.resize(h.transfer_buffer_length);
          send(make_ret_submit(h, status_ok, static_cast<std::uint32_t>(data.size())), data);
        } else {
          device_.control_out(setup, out_data);
          send(make_ret_submit(h, status_ok, static_cast<std::uint32_t>(out_data.size())));
        }
      } catch (const Error&) {
        send(make_ret_submit(h, device_.attached() ? status_pipe : status_shutdown, 0));
      }
      return;
    }
    if (h.direction == direction_out) {
      try {
        device_.bulk_out(static_cast<std::uint8_t>(h.ep), out_data);
        send(make_ret_submit(h, status_ok, static_cast<std::uint32_t>(out_data.size())));
      } catch (const Error&) {
        send(make_ret_submit(h, device_.attached() ? status_pipe : status_shutdown, 0));
      }
      return;
    }
    const auto in_type = in_types_.find(static_cast<std::uint8_t>(h.ep));
    if (in_type == in_types_.end()) {
      send(make_ret_submit(h, status_pipe, 0));
      return;
    }
    if (in_type->second == usb::TransferType::bulk && answer_if_ready(h)) return;
    {
      std::lock_guard lock(mutex_);
      held_[static_cast<std::uint8_t>(h.ep)].push_back(h);
    }
    ready_.notify_all();
  }

  void handle_unlink(const UrbHeader& h) {
    bool removed = false;
    {
      std::lock_guard lock(mutex_);
      for (auto& [ep, queue] : held_) {
        for (auto it = queue.begin(); it != queue.end(); ++it) {
          if (it->seqnum == h.unlink_seqnum) {
            queue.erase(it);
            removed = true;
            break;
          }
        }
        if (removed) break;
      }
    }
    UrbHeader reply;
    reply.command = ret_unlink;
    reply.seqnum = h.seqnum;
    // -ECONNRESET: unlinked, no RET_SUBMIT follows; 0: it had completed already.
    reply.status = removed ? status_connreset : status_ok;
    send(reply);
  }

  // The reader thread's answer to a bulk IN URB when nothing is held or in hand for its
  // endpoint and the device has the data now; false leaves the URB to the worker.
  bool answer_if_ready(const UrbHeader& h) {
    const auto ep = static_cast<std::uint8_t>(h.ep);
    if (!answer_ready_in_urbs_) return false;
    {
      std::lock_guard lock(mutex_);
      if (!held_[ep].empty() || in_hand_[ep] || !stash_[ep].empty()) return false;
    }
    std::optional<Bytes> data =
        device_.bulk_in(static_cast<std::uint8_t>(0x80 | ep), h.transfer_buffer_length, Duration::zero());
    if (!data) return false;
    if (data->size() > h.transfer_buffer_length) {
      std::lock_guard lock(mutex_);
      stash_[ep].assign(data->begin() + h.transfer_buffer_length, data->end());
      data->resize(h.transfer_buffer_length);
    }
    send(make_ret_submit(h, status_ok, static_cast<std::uint32_t>(data->size())), *data);
    return true;
  }

  void complete_in_urbs(std::uint8_t ep, usb::TransferType type) {
    const std::uint8_t address = static_cast<std::uint8_t>(0x80 | ep);
    try {
      for (;;) {
        std::uint32_t length = 0;
        Bytes stash;
        {
          std::unique_lock lock(mutex_);
          in_hand_[ep] = false;
          ready_.wait_for(lock, poll_interval, [&] { return done_ || !held_[ep].empty(); });
          if (done_) return;
          if (held_[ep].empty()) continue;
          length = held_[ep].front().transfer_buffer_length;
          stash = std::exchange(stash_[ep], {});
          in_hand_[ep] = true;  // until its answer is sent: answers on one endpoint stay in order
        }
        std::optional<Bytes> data;
        if (!stash.empty()) {
          data = std::move(stash);
        } else if (type == usb::TransferType::interrupt) {
          data = device_.interrupt_in(address, length, poll_interval);
        } else {
          data = device_.bulk_in(address, length, poll_interval);
        }
        if (!device_.attached()) {
          stream_.shutdown();  // the device vanished: end the import, as usbipd does
          return;
        }
        if (!data) continue;
        std::unique_lock lock(mutex_);
        if (held_[ep].empty()) {  // unlinked meanwhile: the next URB gets the data
          stash_[ep] = std::move(*data);
          continue;
        }
        const UrbHeader urb = held_[ep].front();
        held_[ep].pop_front();
        if (data->size() > urb.transfer_buffer_length) {
          stash_[ep].assign(data->begin() + urb.transfer_buffer_length, data->end());
          data->resize(urb.transfer_buffer_length);
        }
        lock.unlock();
        if (type == usb::TransferType::bulk && drop_countdown_ != 0 && --drop_countdown_ == 0) {
          drop_mid_reply(make_ret_submit(urb, status_ok, static_cast<std::uint32_t>(data->size())), *data);
          return;
        }
        send(make_ret_submit(urb, status_ok, static_cast<std::uint32_t>(data->size())), *data);
      }
    } catch (const Error&) {
      stream_.shutdown();
    }
  }

  usb::UsbDeviceEmulation& device_;
  usb::TcpStream& stream_;
  const std::atomic<bool>& stopping_;
  std::atomic<std::uint64_t>& urbs_;
  std::map<std::uint8_t, usb::TransferType> in_types_;
  std::mutex mutex_;
  std::condition_variable ready_;
  std::map<std::uint8_t, std::deque<UrbHeader>> held_;
  std::map<std::uint8_t, bool> in_hand_;  // the endpoint's worker holds data or a URB it took
  std::map<std::uint8_t, Bytes> stash_;   // data beyond a URB's length: the next URB's

  bool done_ = false;
  std::mutex write_mutex_;
  std::vector<std::thread> workers_;
  std::uint64_t drop_countdown_;  // touched by the one bulk IN worker only
  const bool answer_ready_in_urbs_;  // off when dropping a reply: that fault counts the worker's answers
};

}  // namespace

UsbipServer::UsbipServer(std::shared_ptr<usb::UsbDeviceEmulation> device, UsbipServerOptions options)
    : device_(std::move(device)), options_(std::move(options)) {
  if (!device_) throw Error(ErrorCode::invalid_argument, "no device to export", "USB/IP server");
  encode_busid(options_.busid);  // validates its length
}

UsbipServer::~UsbipServer() { stop(); }

void UsbipServer::start() {
  listener_ = std::make_unique<usb::TcpListener>(options_.listen);
  stopping_ = false;
  accept_thread_ = std::thread([this] { accept_loop(); });
}

void UsbipServer::stop() {
  stopping_ = true;
  if (listener_) listener_->shutdown();
  {
    std::lock_guard lock(session_mutex_);
    if (session_stream_ != nullptr) session_stream_->shutdown();
  }
  if (accept_thread_.joinable()) accept_thread_.join();
  if (session_thread_.joinable()) session_thread_.join();
}

std::uint16_t UsbipServer::port() const { return listener_ ? listener_->port() : 0; }

void UsbipServer::accept_loop() {
  while (!stopping_) {
    usb::TcpStream stream = listener_->accept(100ms);
    if (!stream.is_open()) continue;
    try {
      serve(std::move(stream));
    } catch (const Error& e) {
      std::cerr << "usbip server: " << e.what() << "\n";
    }
  }
}

void UsbipServer::serve(usb::TcpStream stream) {
  const OpHeader request = OpHeader::parse(stream.read_exact(op_header_size, request_timeout));
  if (request.version != version) {
    throw Error(ErrorCode::protocol, "USB/IP version 0x" + to_hex(request.encode()).substr(0, 4) + " not 0x0111",
                stream.peer());
  }
  const DeviceRecord record = DeviceRecord::describe(device_->device_descriptor(), device_->configuration_descriptor(),
                                                     options_.busid, options_.busnum, options_.devnum);
  if (request.code == op_req_devlist) {
    Bytes reply = OpHeader{version, op_rep_devlist, 0}.encode();
    const bool listed = device_->attached() && !imported_;  // usbipd lists only available devices
    store_be32(reply, listed ? 1u : 0u);
    if (listed) append(reply, record.encode(true));
    stream.write_all(reply);
    return;
  }
  if (request.code != op_req_import) {
    throw Error(ErrorCode::protocol, "unknown OP code " + std::to_string(request.code), stream.peer());
  }
  const std::string busid = decode_fixed_string(stream.read_exact(busid_size, request_timeout));
  const bool ok = busid == options_.busid && device_->attached() && !imported_;
  Bytes reply = OpHeader{version, op_rep_import, ok ? 0u : 1u}.encode();
  if (ok) append(reply, record.encode(false));
  if (!ok) {
    stream.write_all(reply);
    return;
  }
  if (session_thread_.joinable()) session_thread_.join();  // the previous import has ended
  // Imported before the client hears so: once it has the reply, neither a devlist nor a
  // second import may still find the device available.
  imported_ = true;
  try {
    stream.write_all(reply);
  } catch (const Error&) {
    imported_ = false;  // the client went before the reply: nothing was imported
    throw;
  }
  session_thread_ = std::thread([this, s = std::move(stream)]() mutable { serve_import(s); });
}

void UsbipServer::serve_import(usb::TcpStream& stream) {
  {
    std::lock_guard lock(session_mutex_);
    session_stream_ = &stream;
  }
  ImportSession(*device_, stream, stopping_, urbs_handled_, options_.drop_mid_bulk_in_reply).run();
  {
    std::lock_guard lock(session_mutex_);
    session_stream_ = nullptr;
  }
  stream.close();
  imported_ = false;
}

}  // namespace onshi::mocks::reader
