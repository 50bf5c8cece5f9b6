"use strict";
// An OPC UA client the server has never seen, as a SCADA engineer's first connection attempt: node-opcua makes its
// own self-signed application certificate (as UaExpert does on first start) and tries Basic256Sha256
// SignAndEncrypt. Driven by OpcUaUntrustedClientEndToEndTest. Reports on stdout, one line each:
//   THUMBPRINT <hex>   the SHA-1 thumbprint of the client's own certificate, computed by node-opcua-crypto
//   CN <text>          the certificate's common name
//   REFUSED <reason>   the connection was refused (expected)
//   CONNECTED          the connection was accepted (unexpected for an untrusted client)
// Configuration: the JSON in the environment variable CLIENT_CONFIG: endpointUrl, pki (a folder for the client's
// certificate store), applicationName, applicationUri.
const { OPCUAClient, OPCUACertificateManager, MessageSecurityMode, SecurityPolicy } = require("node-opcua");
const { makeSHA1Thumbprint, readCertificate, exploreCertificate } = require("node-opcua-crypto");

const cfg = JSON.parse(process.env.CLIENT_CONFIG);
const say = (line) => process.stdout.write(line + "\n");

async function main() {
    const certificates = new OPCUACertificateManager({
        rootFolder: cfg.pki, automaticallyAcceptUnknownCertificate: true, name: "untrusted"
    });
    await certificates.initialize();
    const client = OPCUAClient.create({
        applicationName: cfg.applicationName,
        applicationUri: cfg.applicationUri,
        securityMode: MessageSecurityMode.SignAndEncrypt,
        securityPolicy: SecurityPolicy.Basic256Sha256,
        clientCertificateManager: certificates,
        endpointMustExist: false,
        connectionStrategy: { maxRetry: 0, initialDelay: 100, maxDelay: 200 }
    });
    try {
        await client.connect(cfg.endpointUrl);
        say("CONNECTED");
        await client.disconnect();
    } catch (e) {
        say("REFUSED " + String(e.message).split("\n")[0]);
    }
    const der = readCertificate(client.certificateFile);
    say("THUMBPRINT " + makeSHA1Thumbprint(der).toString("hex"));
    say("CN " + exploreCertificate(der).tbsCertificate.subject.commonName);
}

main().then(() => process.exit(0), (e) => {
    say("FAILED " + String(e && e.stack || e).split("\n").slice(0, 3).join(" | "));
    process.exit(1);
});
