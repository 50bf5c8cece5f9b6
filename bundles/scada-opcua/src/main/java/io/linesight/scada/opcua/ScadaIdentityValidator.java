package io.linesight.scada.opcua;

import org.eclipse.milo.opcua.sdk.server.Session;
import org.eclipse.milo.opcua.sdk.server.identity.AbstractUsernameIdentityValidator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks who opens a session: anonymous (only where allowed; an observer) or a configured user by
 * password. Milo decrypts the password token; a refusal becomes Bad_UserAccessDenied, and a token type the
 * endpoint does not offer is refused by Milo before it gets here. The returned {@link ScadaUser} is the
 * session's identity object, which the method nodes ask for the role.
 */
final class ScadaIdentityValidator extends AbstractUsernameIdentityValidator<ScadaUser> {

    private static final Logger LOG = LoggerFactory.getLogger(ScadaIdentityValidator.class);

    private final boolean allowAnonymous;
    private final UserDirectory users;

    ScadaIdentityValidator(boolean allowAnonymous, UserDirectory users) {
        this.allowAnonymous = allowAnonymous;
        this.users = users;
    }

    @Override
    protected ScadaUser authenticateAnonymous(Session session) {
        if (!allowAnonymous) {
            LOG.info("OPC UA: anonymous login refused (client {}); anonymous access is off", client(session));
            return null;
        }
        return ScadaUser.ANONYMOUS;
    }

    @Override
    protected ScadaUser authenticateUsernamePassword(Session session, String username, String password) {
        ScadaUser user = users.authenticate(username, password).orElse(null);
        if (user == null) {
            LOG.warn("OPC UA: login of user '{}' refused (client {}): unknown user or wrong password", username,
                    client(session));
        } else {
            LOG.info("OPC UA: user '{}' ({}) logged in from {}", username, user.role(), client(session));
        }
        return user;
    }

    private static String client(Session session) {
        return session.getClientDescription().getApplicationUri();
    }
}
