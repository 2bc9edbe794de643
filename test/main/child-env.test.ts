import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { engineEnvironment } from '../../main/child-env.ts';
import { answersPortRequest, ENGINE_PORT_MESSAGE, isPortNonce } from '../../shared/contract/shell.ts';

describe("the engine process's environment", () => {
  it('drops what would run code in it, change Node or the loader, or leak its TLS keys', () => {
    const kept = { PATH: '/usr/bin', HOME: '/home/ada', LANG: 'C.UTF-8', FERRY_DATA_DIR: '/data', AWS_REGION: 'eu-west-1' };
    const dropped = {
      NODE_OPTIONS: '--require /tmp/evil.js',
      node_options: '--import /tmp/evil.mjs',
      NODE_PATH: '/tmp/modules',
      NODE_EXTRA_CA_CERTS: '/tmp/mitm.pem',
      ELECTRON_RUN_AS_NODE: '1',
      ELECTRON_ENABLE_LOGGING: '1',
      LD_PRELOAD: '/tmp/evil.so',
      LD_LIBRARY_PATH: '/tmp/lib',
      LD_AUDIT: '/tmp/audit.so',
      DYLD_INSERT_LIBRARIES: '/tmp/evil.dylib',
      OPENSSL_CONF: '/tmp/openssl.cnf',
      OPENSSL_MODULES: '/tmp/ossl',
      SSLKEYLOGFILE: '/tmp/keys.log',
      DEBUG: '*',
    };
    assert.deepEqual(engineEnvironment({ ...kept, ...dropped, UNSET: undefined }), kept);
  });
});

describe('engine port requests', () => {
  it('takes only a port that answers the latest request by its nonce', () => {
    const nonce = '0123456789abcdef0123456789abcdef';
    assert.ok(isPortNonce(nonce));
    for (const bad of [undefined, null, 42, '', 'short', 'x'.repeat(129), 'has spaces in it ok?', '../../etc/passwd/xx']) {
      assert.ok(!isPortNonce(bad), String(bad));
    }
    assert.ok(answersPortRequest({ type: ENGINE_PORT_MESSAGE, nonce }, nonce));
    assert.ok(!answersPortRequest({ type: ENGINE_PORT_MESSAGE, nonce: 'f'.repeat(32) }, nonce), 'a stale or forged nonce');
    assert.ok(!answersPortRequest({ type: ENGINE_PORT_MESSAGE }, nonce), 'no nonce');
    assert.ok(!answersPortRequest(ENGINE_PORT_MESSAGE, nonce), 'the old bare message');
    assert.ok(!answersPortRequest({ type: ENGINE_PORT_MESSAGE, nonce }, undefined), 'nothing was asked');
    assert.ok(!answersPortRequest({ type: 'other', nonce }, nonce));
  });
});
