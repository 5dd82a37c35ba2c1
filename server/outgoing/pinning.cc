#include "server/outgoing/pinning.h"

#include <netinet/in.h>
#include <sys/socket.h>

#include <cstring>
#include <string>

namespace hearth::server::outgoing {
namespace {

curl_socket_t open_socket(void* data, curlsocktype purpose, curl_sockaddr* address) {
  auto* pin = static_cast<Pin*>(data);
  auto ip = from_sockaddr(&address->addr);
  uint16_t port = 0;
  if (address->family == AF_INET) {
    sockaddr_in in;
    std::memcpy(&in, &address->addr, sizeof in);
    port = ntohs(in.sin_port);
  } else if (address->family == AF_INET6) {
    sockaddr_in6 in6;
    std::memcpy(&in6, &address->addr, sizeof in6);
    port = ntohs(in6.sin6_port);
  }
  if (purpose != CURLSOCKTYPE_IPCXN || !ip || *ip != pin->address || port != pin->port) {
    pin->refused_socket = true;
    return CURL_SOCKET_BAD;
  }
  return socket(address->family, address->socktype, address->protocol);
}

}  // namespace

Slist pin_transfer(CURL* curl, const TargetUrl& url, Pin& pin) {
  pin.port = url.port;
  Slist resolve;
  if (!url.literal) {
    std::string address = pin.address.v6 ? "[" + to_string(pin.address) + "]" : to_string(pin.address);
    std::string entry = url.host + ":" + std::to_string(url.port) + ":" + address;
    resolve.reset(curl_slist_append(nullptr, entry.c_str()));
    curl_easy_setopt(curl, CURLOPT_RESOLVE, resolve.get());
  }
  curl_easy_setopt(curl, CURLOPT_OPENSOCKETFUNCTION, open_socket);
  curl_easy_setopt(curl, CURLOPT_OPENSOCKETDATA, &pin);
  curl_easy_setopt(curl, CURLOPT_PROXY, "");  // no proxy, whatever the environment says
  return resolve;
}

}  // namespace hearth::server::outgoing
