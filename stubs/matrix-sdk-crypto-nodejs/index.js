// Stand-in for @matrix-org/matrix-sdk-crypto-nodejs (see package.json). matrix-bot-sdk requires this module when
// it is loaded, but uses its classes only for end-to-end encryption; each of them throws when constructed.
"use strict";

const MESSAGE = "end-to-end encryption is not available: @matrix-org/matrix-sdk-crypto-nodejs is the stub shipped with siko-bot";

function unavailable(name) {
  const C = class {
    constructor() {
      throw new Error(MESSAGE);
    }
    static [Symbol.hasInstance]() {
      return false;
    }
  };
  Object.defineProperty(C, "name", { value: name });
  return C;
}

const classes = [
  "OlmMachine", "UserId", "DeviceId", "RoomId", "DeviceLists", "Attachment", "EncryptedAttachment",
  "EncryptionSettings", "KeysClaimRequest", "KeysQueryRequest", "KeysUploadRequest", "SignatureUploadRequest",
  "ToDeviceRequest", "RoomMessageRequest", "KeysBackupRequest",
];
for (const name of classes) exports[name] = unavailable(name);

exports.StoreType = Object.freeze({ Sled: 0, Sqlite: 1 });
exports.RequestType = Object.freeze({ KeysUpload: 0, KeysQuery: 1, KeysClaim: 2, ToDevice: 3, SignatureUpload: 4, RoomMessage: 5, KeysBackup: 6 });
exports.EncryptionAlgorithm = Object.freeze({ OlmV1Curve25519AesSha2: 0, MegolmV1AesSha2: 1 });
exports.isStub = true;
exports.unavailableMessage = MESSAGE;
