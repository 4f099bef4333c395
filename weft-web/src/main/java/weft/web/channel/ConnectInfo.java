package weft.web.channel;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a socket's {@code connect} knows about the connection besides its params.
 *
 * @param peer the client's address, if known
 * @param headers the upgrade (or long-poll) request's headers, names in lower case
 * @param uri the request target
 * @param token the token from the JS client's {@code authToken} option, if sent
 */
public record ConnectInfo(
    Optional<InetSocketAddress> peer,
    Map<String, List<String>> headers,
    String uri,
    Optional<String> token) {}
