'use strict';
// An independent Sparkplug B host application for LineSight's tests (driven by SparkplugHost.java).
// It decodes with sparkplug-payload (protobufjs) and talks MQTT with MQTT.js, so nothing of Eclipse Tahu's
// Java codec or of LineSight's own code is on this side of the wire.
//
//   node sparkplug-host.js --broker mqtt://127.0.0.1:1883 [--ca ca.pem] [--client-id ID] [--host-id ID]
//
// stdout: one JSON object per line (events "connected", "disconnected", "reconnected", "message",
// "decode-error", "published", "publish-failed", "input-error", "error"). stdin: one JSON command per line
// ({"publish":..}, {"publishText":..}, {"stateOffline":true}, {"stateOnline":true}), run after the first
// connection, each answered by one "published", "publish-failed" or "input-error"; end of input ends the process
// (after an offline STATE when --host-id was given).
//
// 64-bit integers (Int64, UInt64, DateTime, timestamps, seq) print as JSON numbers when they are exact
// doubles (magnitude up to 2^53 - 1) and as decimal strings otherwise. Bytes and File print as base64.
//
// What sparkplug-payload 1.0.3 cannot decode (the whole message becomes a "decode-error"): a Template
// parameter of any type but UInt32, Int64, Float, Double, Boolean, String; a DataSet column of those other
// types; a Template metric with is_null. It reads an absent template_ref or version as "" (printed as null).

const fs = require('fs');
const readline = require('readline');
const mqtt = require('mqtt');
const sparkplug = require('sparkplug-payload').get('spBv1.0');

const NAMESPACE = 'spBv1.0';
const MAX_EXACT = BigInt(Number.MAX_SAFE_INTEGER);

function parseArgs(argv) {
  const args = { broker: null, ca: null, clientId: null, hostId: null };
  const names = { '--broker': 'broker', '--ca': 'ca', '--client-id': 'clientId', '--host-id': 'hostId' };
  for (let i = 0; i < argv.length; i += 2) {
    const key = names[argv[i]];
    if (!key || i + 1 >= argv.length) {
      throw new Error(`unknown or incomplete argument '${argv[i]}'`);
    }
    args[key] = argv[i + 1];
  }
  if (!args.broker) {
    throw new Error('--broker URL is required');
  }
  return args;
}

function emit(event) {
  process.stdout.write(JSON.stringify(event) + '\n');
}

// ---- values as JSON ------------------------------------------------------------------------------------

function isLong(value) {
  return value !== null && typeof value === 'object' && value.__isLong__ === true;
}

/** A Long (or number) as a JSON number when exact, else as its decimal string. */
function integer(value) {
  if (value === undefined || value === null) {
    return null;
  }
  const big = isLong(value) ? BigInt(value.toString()) : BigInt(value);
  const magnitude = big < 0n ? -big : big;
  return magnitude <= MAX_EXACT ? Number(big) : big.toString();
}

function metricValue(type, value) {
  if (value === undefined || value === null) {
    return null;
  }
  switch (type) {
    case 'Template':
      return template(value);
    case 'DataSet':
      return dataSet(value);
    case 'PropertySet':
      return propertySet(value);
    case 'PropertySetList':
      return value.map(propertySet);
    default:
      return plain(value);
  }
}

/** Longs as integers, bytes as base64, everything else as it is. */
function plain(value) {
  if (isLong(value)) {
    return integer(value);
  }
  if (value instanceof Uint8Array) {
    return Buffer.from(value).toString('base64');
  }
  if (typeof value === 'number' && !Number.isFinite(value)) {
    return String(value); // JSON has no NaN or Infinity
  }
  return value;
}

function template(value) {
  return {
    templateRef: value.templateRef ? value.templateRef : null, // the codec cannot tell "" from absent
    isDefinition: value.isDefinition === true,
    version: value.version ? value.version : null,
    metrics: (value.metrics || []).map(metric),
    parameters: (value.parameters || []).map((p) => ({
      name: p.name, type: p.type, value: metricValue(p.type, p.value),
    })),
  };
}

function dataSet(value) {
  return {
    numOfColumns: integer(value.numOfColumns),
    columns: value.columns || [],
    types: value.types || [],
    rows: (value.rows || []).map((row) => row.map(plain)),
  };
}

function propertySet(value) {
  const result = {};
  for (const [key, property] of Object.entries(value)) {
    result[key] = { type: property.type, value: metricValue(property.type, property.value) };
  }
  return result;
}

function metric(decoded) {
  const result = {
    name: decoded.name === undefined ? null : decoded.name,
    alias: integer(decoded.alias),
    timestamp: integer(decoded.timestamp),
    type: decoded.type === undefined ? null : decoded.type,
    value: metricValue(decoded.type, decoded.value),
    isHistorical: decoded.isHistorical === true,
    isTransient: decoded.isTransient === true,
    isNull: decoded.value === null,
  };
  if (decoded.properties) {
    result.properties = propertySet(decoded.properties);
  }
  return result;
}

// ---- topics and messages -------------------------------------------------------------------------------

/** spBv1.0/<group>/<type>/<node>[/<device>] or spBv1.0/STATE/<host id>. */
function parseTopic(topic) {
  const parts = topic.split('/');
  if (parts[1] === 'STATE') {
    return { group: null, type: 'STATE', node: null, device: null, hostId: parts.slice(2).join('/') };
  }
  return { group: parts[1] ?? null, type: parts[2] ?? null, node: parts[3] ?? null, device: parts[4] ?? null };
}

function onMessage(topic, payload, packet) {
  const receivedAt = Date.now();
  try {
    const fields = parseTopic(topic);
    const decoded = fields.type === 'STATE' ? JSON.parse(payload.toString('utf8')) : sparkplugPayload(payload);
    emit({ event: 'message', topic, retained: packet.retain === true, ...fields, receivedAt, bytes: payload.length,
      payload: decoded });
  } catch (error) {
    emit({ event: 'decode-error', topic, error: String(error && error.message ? error.message : error) });
  }
}

function sparkplugPayload(bytes) {
  const decoded = sparkplug.decodePayload(bytes);
  const result = {
    timestamp: integer(decoded.timestamp),
    seq: integer(decoded.seq),
    metrics: (decoded.metrics || []).map(metric),
  };
  if (decoded.uuid) {
    result.uuid = decoded.uuid;
  }
  return result;
}

// ---- commands from stdin -------------------------------------------------------------------------------

/** A metric of a command as sparkplug-payload's encoder takes it. */
function outgoingMetric(m) {
  const result = { name: m.name, type: m.type, value: m.value };
  if (m.alias !== undefined && m.alias !== null) {
    result.alias = m.alias;
  }
  if (m.timestamp !== undefined && m.timestamp !== null) {
    result.timestamp = m.timestamp;
  }
  if (typeof m.type === 'string' && ['BYTES', 'FILE'].includes(m.type.toUpperCase()) && typeof m.value === 'string') {
    result.value = Buffer.from(m.value, 'base64');
  }
  if (typeof m.type === 'string' && m.type.toUpperCase() === 'TEMPLATE' && m.value) {
    result.value = { ...m.value, metrics: (m.value.metrics || []).map(outgoingMetric) };
  }
  return result;
}

function encodeCommandPayload(payload) {
  const outgoing = { timestamp: payload.timestamp ?? Date.now(), metrics: (payload.metrics || []).map(outgoingMetric) };
  if (payload.seq !== undefined && payload.seq !== null) {
    outgoing.seq = payload.seq;
  }
  return Buffer.from(sparkplug.encodePayload(outgoing));
}

function statePayload(online, timestamp) {
  return JSON.stringify({ online, timestamp });
}

function main() {
  const args = parseArgs(process.argv.slice(2));
  const stateTopic = args.hostId ? `${NAMESPACE}/STATE/${args.hostId}` : null;
  // Sparkplug 3.0: the Will and the online STATE of one connection carry the same timestamp. The STATE commands
  // and the offline STATE of a clean exit use it too, so no STATE of a connection looks older than another.
  let stateTimestamp = Date.now();
  const options = {
    clientId: args.clientId || `linesight-test-host-${process.pid}`,
    clean: true,
    protocolVersion: 4,
    reconnectPeriod: 500,
    connectTimeout: 10000,
    resubscribe: false, // subscribed again by hand on every connect, so "reconnected" means "subscribed again"
    rejectUnauthorized: true,
  };
  if (args.ca) {
    options.ca = fs.readFileSync(args.ca);
  }
  if (stateTopic) {
    const will = Buffer.from(statePayload(false, stateTimestamp));
    options.will = { topic: stateTopic, payload: will, qos: 1, retain: true };
  }

  const client = mqtt.connect(args.broker, options);
  let everConnected = false;
  let online = false;
  // Commands wait for the first subscription, so the host sees what it publishes itself.
  let firstConnection;
  const connected = new Promise((resolve) => { firstConnection = resolve; });

  client.on('connect', () => {
    client.subscribe(`${NAMESPACE}/#`, { qos: 1 }, (error) => {
      if (error) {
        emit({ event: 'error', error: `subscribe failed: ${error.message}` });
        return;
      }
      const announce = () => {
        online = true;
        emit({ event: everConnected ? 'reconnected' : 'connected' });
        everConnected = true;
        firstConnection();
      };
      if (!stateTopic) {
        announce();
        return;
      }
      const birth = Buffer.from(statePayload(true, stateTimestamp));
      client.publish(stateTopic, birth, { qos: 1, retain: true }, (publishError) => {
        if (publishError) {
          emit({ event: 'error', error: `STATE publish failed: ${publishError.message}` });
        } else {
          announce();
        }
      });
    });
  });
  client.on('reconnect', () => {
    if (stateTopic) {
      stateTimestamp = Date.now();
      client.options.will.payload = Buffer.from(statePayload(false, stateTimestamp));
    }
  });
  client.on('close', () => {
    if (online) {
      online = false;
      emit({ event: 'disconnected' });
    }
  });
  client.on('error', (error) => emit({ event: 'error', error: String(error.message || error) }));
  client.on('message', onMessage);

  // Commands run one after the other and each input line gets exactly one answer ("published",
  // "publish-failed" or "input-error") in input order: SparkplugHost counts them to match answers to commands.
  let queue = connected;
  const publish = (topic, body, qos, retain) => new Promise((resolve) => {
    if (typeof topic !== 'string' || topic === '' || /[#+]/.test(topic)) {
      // MQTT.js never calls back for such a topic, which would stall every later command
      throw new Error(`cannot publish to topic ${JSON.stringify(topic)}`);
    }
    client.publish(topic, body, { qos, retain }, (error) => {
      emit(error ? { event: 'publish-failed', topic, error: error.message } : { event: 'published', topic });
      resolve();
    });
  });
  const run = (command) => {
    if (command.publish) {
      const p = command.publish;
      return publish(p.topic, encodeCommandPayload(p.payload || {}), p.qos ?? 0, p.retain === true);
    }
    if (command.publishText) {
      const p = command.publishText;
      return publish(p.topic, Buffer.from(p.text, 'utf8'), p.qos ?? 0, p.retain === true);
    }
    if ((command.stateOffline || command.stateOnline) && stateTopic) {
      return publish(stateTopic, Buffer.from(statePayload(command.stateOnline === true, stateTimestamp)), 1, true);
    }
    throw new Error('unknown command (or a STATE command without --host-id)');
  };

  let pending = 0;
  const input = readline.createInterface({ input: process.stdin });
  input.on('line', (line) => {
    if (line.trim() === '') {
      return;
    }
    pending++;
    queue = queue.then(async () => {
      try {
        await run(JSON.parse(line));
      } catch (error) {
        emit({ event: 'input-error', error: String(error && error.message ? error.message : error), line });
      } finally {
        pending--;
      }
    });
  });
  input.on('close', () => {
    // A broker that is down or a connection that never comes would hold the exit forever.
    setTimeout(() => process.exit(0), 5000).unref();
    if (!everConnected && pending === 0) {
      client.end(true, {}, () => process.exit(0));
      return;
    }
    queue = queue.then(async () => {
      // An intentional disconnect sends no Will, so a host with an id says it is offline itself.
      if (stateTopic && client.connected) {
        await publish(stateTopic, Buffer.from(statePayload(false, stateTimestamp)), 1, true);
      }
      client.end(false, {}, () => process.exit(0));
    });
  });
}

try {
  main();
} catch (error) {
  process.stderr.write(`sparkplug-host: ${error.message}\n`);
  process.exit(2);
}
