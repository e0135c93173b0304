#include "no_sigpipe_socket_bio.hpp"

#include <sys/socket.h>
#include <sys/types.h>

#include <cerrno>

namespace onshi::mocks::ons::detail {
namespace {

// OpenSSL's sock_write with MSG_NOSIGNAL: the same retry flags for EAGAIN/EINTR.
int send_without_sigpipe(BIO* bio, const char* data, int size) {
  if (data == nullptr || size <= 0) return 0;
  int fd = -1;
  BIO_get_fd(bio, &fd);
  errno = 0;
  const ssize_t sent = ::send(fd, data, static_cast<std::size_t>(size), MSG_NOSIGNAL);
  BIO_clear_retry_flags(bio);
  const int result = static_cast<int>(sent);
  if (result <= 0 && BIO_sock_should_retry(result) != 0) BIO_set_retry_write(bio);
  return result;
}

int puts_without_sigpipe(BIO* bio, const char* text) {
  int length = 0;
  while (text[length] != '\0') ++length;
  return send_without_sigpipe(bio, text, length);
}

BIO_METHOD* make_method() {
  const BIO_METHOD* socket = BIO_s_socket();
  BIO_METHOD* method = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK | BIO_TYPE_DESCRIPTOR,
                                    "socket, send(MSG_NOSIGNAL)");
  if (method == nullptr) return nullptr;
  BIO_meth_set_write(method, send_without_sigpipe);
  BIO_meth_set_puts(method, puts_without_sigpipe);
  BIO_meth_set_read(method, BIO_meth_get_read(socket));
  BIO_meth_set_ctrl(method, BIO_meth_get_ctrl(socket));
  BIO_meth_set_create(method, BIO_meth_get_create(socket));
  BIO_meth_set_destroy(method, BIO_meth_get_destroy(socket));
  BIO_meth_set_callback_ctrl(method, BIO_meth_get_callback_ctrl(socket));
  return method;
}

}  // namespace

BIO* new_no_sigpipe_socket_bio(int fd) {
  static BIO_METHOD* const method = make_method();  // made once, lives as long as the process
  if (method == nullptr) return nullptr;
  BIO* bio = BIO_new(method);
  if (bio == nullptr) return nullptr;
  BIO_set_fd(bio, fd, BIO_NOCLOSE);
  return bio;
}

}  // namespace onshi::mocks::ons::detail
