"use strict";
// A SCADA client built on node-opcua (an OPC UA stack independent of Milo), driven by
// NodeOpcUaInteropTest. It reports on stdout, one line each:
//   SUBSCRIBED             the Counters/Total monitored item delivered its first value
//   SAW <value>            every Counters/Total notification
//   CHECK <key>=<value>    one observation for the test to assert
//   DONE                   finished (exit code 0) - failures end with "FAILED <message>" and exit code 1
// Configuration: the JSON in the environment variable INTEROP_CONFIG (see the test).
const fs = require("fs");
const {
    OPCUAClient, OPCUACertificateManager, MessageSecurityMode, SecurityPolicy, AttributeIds,
    UserTokenType, TimestampsToReturn, ClientMonitoredItem
} = require("node-opcua");

const cfg = JSON.parse(process.env.INTEROP_CONFIG);
const say = (line) => process.stdout.write(line + "\n");

async function newClient() {
    const certificates = new OPCUACertificateManager({
        rootFolder: cfg.clientPki, automaticallyAcceptUnknownCertificate: false, name: "interop"
    });
    await certificates.initialize();
    // Pin the server's certificate, as an engineer does when commissioning a SCADA connection.
    await certificates.trustCertificate(fs.readFileSync(cfg.serverCertificate));
    const client = OPCUAClient.create({
        applicationName: "LineSight node-opcua interop",
        applicationUri: cfg.applicationUri,
        securityMode: MessageSecurityMode.SignAndEncrypt,
        securityPolicy: SecurityPolicy.Basic256Sha256,
        certificateFile: cfg.certificateFile,
        privateKeyFile: cfg.privateKeyFile,
        clientCertificateManager: certificates,
        // The server offers no unsecured endpoint; discovery goes to the OPC UA Part 6 "/discovery" URL.
        discoveryUrl: cfg.endpointUrl + "/discovery",
        endpointMustExist: false,
        connectionStrategy: { maxRetry: 0, initialDelay: 200, maxDelay: 1000 },
        requestedSessionTimeout: 60000
    });
    await client.connect(cfg.endpointUrl);
    return client;
}

async function browseNames(session, nodeId) {
    const result = await session.browse(nodeId);
    return result.references.map((r) => r.browseName.name);
}

async function countUpdates(session, node) {
    const subscription = await session.createSubscription2({
        requestedPublishingInterval: 100, requestedMaxKeepAliveCount: 20, requestedLifetimeCount: 200,
        maxNotificationsPerPublish: 0, publishingEnabled: true, priority: 1
    });
    const item = ClientMonitoredItem.create(subscription,
        { nodeId: node("Counters/Total"), attributeId: AttributeIds.Value },
        { samplingInterval: 100, discardOldest: false, queueSize: 100 }, TimestampsToReturn.Both);
    let first = true;
    let last = -1;
    await new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error("no Counters/Total update reached " + cfg.finalTotal)), 90000);
        item.on("changed", (value) => {
            const total = int64(value.value.value);
            if (first) {
                first = false;
                say("SUBSCRIBED");
            }
            if (total !== last) {
                last = total;
                say("SAW " + total);
            }
            if (total >= cfg.finalTotal) {
                clearTimeout(timer);
                resolve();
            }
        });
    });
    await subscription.terminate();
}

/** node-opcua gives an Int64 as [high, low] 32-bit words. */
function int64(value) {
    return Array.isArray(value) ? value[0] * 4294967296 + value[1] : Number(value);
}

async function call(session, node, method) {
    const result = await session.call({ objectId: node(""), methodId: node(method), inputArguments: [] });
    return result;
}

async function main() {
    const client = await newClient();
    try {
        const operator = await client.createSession({
            type: UserTokenType.UserName, userName: cfg.operator.user, password: cfg.operator.password
        });
        const namespaces = (await operator.read({ nodeId: "ns=0;i=2255", attributeId: AttributeIds.Value })).value.value;
        const ns = namespaces.indexOf("urn:linesight");
        const node = (path) => `ns=${ns};s=Lines/${cfg.lineId}` + (path ? "/" + path : "");
        say("CHECK namespaceIndex=" + ns);
        say("CHECK objects=" + (await browseNames(operator, "ns=0;i=85")).join(","));
        say("CHECK lines=" + (await browseNames(operator, `ns=${ns};s=Lines`)).join(","));
        say("CHECK lineChildren=" + (await browseNames(operator, node(""))).join(","));
        const state = await operator.read({ nodeId: node("State"), attributeId: AttributeIds.Value });
        say("CHECK state=" + state.value.value + " " + state.statusCode.name);

        await countUpdates(operator, node);

        const reset = await call(operator, node, "ResetCounters");
        say("CHECK operatorReset=" + reset.statusCode.name + " " + (reset.outputArguments[0] || {}).value);

        const observer = await client.createSession({
            type: UserTokenType.UserName, userName: cfg.observer.user, password: cfg.observer.password
        });
        const total = await observer.read({ nodeId: node("Counters/Total"), attributeId: AttributeIds.Value });
        say("CHECK observerRead=" + total.statusCode.name);
        say("CHECK observerReset=" + (await call(observer, node, "ResetCounters")).statusCode.name);
        await observer.close();

        try {
            const anonymous = await client.createSession();
            say("CHECK anonymous=accepted");
            await anonymous.close();
        } catch (e) {
            say("CHECK anonymous=refused " + String(e.message).split("\n")[0]);
        }
        await operator.close();
    } finally {
        await client.disconnect();
    }
    say("DONE");
}

main().then(() => process.exit(0), (e) => {
    say("FAILED " + String(e && e.stack || e).split("\n").slice(0, 3).join(" | "));
    process.exit(1);
});
