#include "onshi/usb/usbip_transport.hpp"

#include "onshi/core/error.hpp"

namespace onshi::usb {
namespace {

using namespace usbip;

// After an unlink, the reply to it must come promptly: the server answers unlinks at once.
constexpr Duration unlink_reply_timeout = std::chrono::seconds(2);

}  // namespace

std::vector<DeviceRecord> usbip_list_devices(const HostPort& server, Duration timeout) {
  TcpStream s = TcpStream::connect(server, timeout);
  s.write_all(OpHeader{version, op_req_devlist, 0}.encode());
  const OpHeader reply = OpHeader::parse(s.read_exact(op_header_size, timeout));
  if (reply.code != op_rep_devlist || reply.status != 0) {
    throw Error(ErrorCode::protocol,
                "OP_REQ_DEVLIST answered with code 0x" + to_hex(reply.encode()) + " (want OP_REP_DEVLIST status 0)",
                "usbip " + server.to_string());
  }
  const std::uint32_t count = load_be32(s.read_exact(4, timeout), 0);
  if (count > 256) throw Error(ErrorCode::protocol, "implausible device count " + std::to_string(count), server.to_string());
  std::vector<DeviceRecord> devices;
  for (std::uint32_t i = 0; i < count; ++i) {
    Bytes raw = s.read_exact(device_record_size, timeout);
    const std::uint8_t interfaces = raw[311];
    append(raw, s.read_exact(4u * interfaces, timeout));
    std::size_t consumed = 0;
    devices.push_back(DeviceRecord::parse(raw, true, consumed));
  }
  return devices;
}

std::unique_ptr<UsbipTransport> UsbipTransport::import(const HostPort& server, const std::string& busid,
                                                       Duration timeout) {
  TcpStream s = TcpStream::connect(server, timeout);
  Bytes request = OpHeader{version, op_req_import, 0}.encode();
  append(request, encode_busid(busid));
  s.write_all(request);
  const OpHeader reply = OpHeader::parse(s.read_exact(op_header_size, timeout));
  if (reply.code != op_rep_import) {
    throw Error(ErrorCode::protocol, "OP_REQ_IMPORT answered with op code " + std::to_string(reply.code),
                "usbip " + server.to_string());
  }
  if (reply.status != 0) {
    throw Error(ErrorCode::not_found,
                "the server refused to export busid '" + busid + "' (not exported, or already imported)",
                "usbip " + server.to_string());
  }
  std::size_t consumed = 0;
  DeviceRecord device = DeviceRecord::parse(s.read_exact(device_record_size, timeout), false, consumed);
  if (device.busid != busid) {
    throw Error(ErrorCode::protocol, "imported busid '" + device.busid + "', asked for '" + busid + "'",
                "usbip " + server.to_string());
  }
  return std::unique_ptr<UsbipTransport>(new UsbipTransport(std::move(s), server, std::move(device)));
}

UsbipTransport::UsbipTransport(TcpStream stream, HostPort server, DeviceRecord device)
    : stream_(std::move(stream)), server_(std::move(server)), device_(std::move(device)) {}

std::string UsbipTransport::describe() const { return "usbip:" + server_.to_string() + "/" + device_.busid; }

void UsbipTransport::vanished(const std::string& context, const std::string& why) {
  broken_ = true;
  stream_.close();
  throw Error(ErrorCode::device, "device vanished: " + why, context);
}

UrbHeader UsbipTransport::read_reply(Bytes& payload, Duration timeout, const std::string& context) {
  Bytes raw;
  try {
    raw = stream_.read_exact(urb_header_size, timeout);
  } catch (const Error& e) {
    if (e.code() == ErrorCode::timeout) throw;
    vanished(context, "USB/IP connection lost (" + e.message() + ")");
  }
  const UrbHeader h = UrbHeader::parse(raw);
  if (h.command != ret_submit && h.command != ret_unlink) {
    throw Error(ErrorCode::protocol, "server sent URB command " + std::to_string(h.command), context);
  }
  payload.clear();
  if (h.command == ret_submit && h.transfer_buffer_length > 0) {
    if (h.transfer_buffer_length > 16 * 1024 * 1024) {
      throw Error(ErrorCode::protocol, "RET_SUBMIT claims " + std::to_string(h.transfer_buffer_length) + " bytes", context);
    }
    // IN data follows for IN URBs only; the client knows which seqnums were IN.
    if (pending_in_.count(h.seqnum) != 0) {
      try {
        payload = stream_.read_exact(h.transfer_buffer_length, unlink_reply_timeout);
      } catch (const Error& e) {
        vanished(context, "USB/IP connection lost mid-reply (" + e.message() + ")");
      }
    }
  }
  return h;
}

Bytes UsbipTransport::submit(std::uint32_t direction, std::uint8_t endpoint, ByteView out_data, std::uint32_t in_length,
                             const SetupPacket* setup, Duration timeout, const char* what) {
  const std::string context = describe() + " " + what + " ep " + std::to_string(endpoint & 0x0F);
  if (broken_) throw Error(ErrorCode::device, "device vanished earlier; re-import it", context);
  UrbHeader cmd;
  cmd.command = cmd_submit;
  cmd.seqnum = next_seqnum_++;
  cmd.devid = device_.devid();
  cmd.direction = direction;
  cmd.ep = endpoint & 0x0Fu;
  cmd.transfer_buffer_length = direction == direction_in ? in_length : static_cast<std::uint32_t>(out_data.size());
  if (setup != nullptr) {
    const Bytes s = setup->encode();
    std::copy(s.begin(), s.end(), cmd.setup.begin());
  }
  Bytes wire = cmd.encode();
  if (direction == direction_out) append(wire, out_data);
  if (direction == direction_in) pending_in_.insert(cmd.seqnum);
  try {
    stream_.write_all(wire);
  } catch (const Error& e) {
    vanished(context, "USB/IP connection lost (" + e.message() + ")");
  }
  Bytes payload;
  for (;;) {
    UrbHeader reply;
    try {
      reply = read_reply(payload, timeout, context);
    } catch (const Error& e) {
      if (e.code() != ErrorCode::timeout) throw;
      // Nothing in time: unlink, as the kernel does when a transfer times out.
      UrbHeader unlink;
      unlink.command = cmd_unlink;
      unlink.seqnum = next_seqnum_++;
      unlink.devid = device_.devid();
      unlink.direction = direction;
      unlink.ep = cmd.ep;
      unlink.unlink_seqnum = cmd.seqnum;
      try {
        stream_.write_all(unlink.encode());
      } catch (const Error& w) {
        vanished(context, "USB/IP connection lost (" + w.message() + ")");
      }
      for (;;) {
        UrbHeader r;
        try {
          r = read_reply(payload, unlink_reply_timeout, context);
        } catch (const Error& u) {
          if (u.code() == ErrorCode::timeout) vanished(context, "server did not answer CMD_UNLINK");
          throw;
        }
        if (r.command == ret_submit && r.seqnum == cmd.seqnum) {
          // Completed before the unlink reached the server: the transfer happened after all.
          pending_in_.erase(cmd.seqnum);
          if (r.status != status_ok) break;
          return payload;
        }
        if (r.command == ret_unlink && r.seqnum == unlink.seqnum) {
          if (r.status == status_ok) continue;  // already completed: its RET_SUBMIT is on the way
          break;
        }
      }
      pending_in_.erase(cmd.seqnum);
      throw Error(ErrorCode::timeout, "no data within the timeout", context);
    }
    if (reply.command != ret_submit || reply.seqnum != cmd.seqnum) continue;  // stale reply of an unlinked URB
    pending_in_.erase(cmd.seqnum);
    if (reply.status == status_ok) return payload;
    if (reply.status == status_pipe) throw Error(ErrorCode::device, "endpoint stalled (EPIPE)", context);
    if (reply.status == status_shutdown || reply.status == status_nodev) {
      vanished(context, "server reports the device is gone (status " + std::to_string(reply.status) + ")");
    }
    throw Error(ErrorCode::device, "URB failed with status " + std::to_string(reply.status), context);
  }
}

Bytes UsbipTransport::control_in(const SetupPacket& setup, Duration timeout) {
  return submit(direction_in, 0, {}, setup.length, &setup, timeout, "control IN");
}

void UsbipTransport::control_out(const SetupPacket& setup, ByteView data, Duration timeout) {
  submit(direction_out, 0, data, 0, &setup, timeout, "control OUT");
}

void UsbipTransport::bulk_out(std::uint8_t endpoint, ByteView data, Duration timeout) {
  submit(direction_out, endpoint, data, 0, nullptr, timeout, "bulk OUT");
}

Bytes UsbipTransport::bulk_in(std::uint8_t endpoint, std::size_t max_length, Duration timeout) {
  return submit(direction_in, endpoint, {}, static_cast<std::uint32_t>(max_length), nullptr, timeout, "bulk IN");
}

Bytes UsbipTransport::interrupt_in(std::uint8_t endpoint, std::size_t max_length, Duration timeout) {
  return submit(direction_in, endpoint, {}, static_cast<std::uint32_t>(max_length), nullptr, timeout, "interrupt IN");
}

}  // namespace onshi::usb
