#include "test_origin.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>

namespace hearth::testing {

TestOrigin::TestOrigin(const std::string& address, uint16_t port) : address_(address) {
  listener_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int one = 1;
  setsockopt(listener_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in in{};
  in.sin_family = AF_INET;
  in.sin_port = htons(port);
  inet_pton(AF_INET, address.c_str(), &in.sin_addr);
  if (bind(listener_, reinterpret_cast<sockaddr*>(&in), sizeof in) != 0 || listen(listener_, 16) != 0) {
    close(listener_);
    throw std::runtime_error("TestOrigin: cannot listen on " + address);
  }
  socklen_t len = sizeof in;
  getsockname(listener_, reinterpret_cast<sockaddr*>(&in), &len);
  port_ = ntohs(in.sin_port);
  thread_ = std::thread([this] { serve(); });
}

TestOrigin::~TestOrigin() {
  stopping_ = true;
  thread_.join();
  close(listener_);
}

void TestOrigin::on(const std::string& path, Handler handler) {
  std::lock_guard lock(mu_);
  handlers_[path] = std::move(handler);
}

void TestOrigin::on(const std::string& path, const std::string& status, const std::string& type,
                    const std::string& body, const std::string& extra) {
  on(path, [=](int fd) {
    send_all(fd, "HTTP/1.1 " + status + "\r\nContent-Type: " + type + "\r\nContent-Length: " +
                     std::to_string(body.size()) + "\r\nConnection: close\r\n" + extra + "\r\n" + body);
  });
}

std::string TestOrigin::url(const std::string& path) const {
  return "http://" + address_ + ":" + std::to_string(port_) + path;
}

void TestOrigin::send_all(int fd, const std::string& data) {
  size_t at = 0;
  while (at < data.size()) {
    ssize_t n = ::send(fd, data.data() + at, data.size() - at, MSG_NOSIGNAL);
    if (n <= 0) return;
    at += static_cast<size_t>(n);
  }
}

void TestOrigin::serve() {
  while (!stopping_) {
    pollfd p{listener_, POLLIN, 0};
    if (poll(&p, 1, 50) <= 0) continue;
    int fd = accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    ++connections_;
    std::string request;
    char buf[4096];
    while (request.find("\r\n\r\n") == std::string::npos && request.size() < 65536) {
      pollfd q{fd, POLLIN, 0};
      if (poll(&q, 1, 2000) <= 0) break;
      ssize_t n = recv(fd, buf, sizeof buf, 0);
      if (n <= 0) break;
      request.append(buf, static_cast<size_t>(n));
    }
    // "GET /path HTTP/1.1": the path without its query.
    size_t sp = request.find(' ');
    size_t sp2 = sp == std::string::npos ? sp : request.find(' ', sp + 1);
    std::string path = sp2 == std::string::npos ? "" : request.substr(sp + 1, sp2 - sp - 1);
    Handler handler;
    {
      std::lock_guard lock(mu_);
      auto it = handlers_.find(path);
      if (it != handlers_.end()) handler = it->second;
    }
    if (handler) handler(fd);
    else send_all(fd, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    shutdown(fd, SHUT_WR);
    close(fd);
  }
}

}  // namespace hearth::testing
