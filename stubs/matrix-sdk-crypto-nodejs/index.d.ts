// Types of the stand-in (see index.js): every class exists and refuses to be constructed.
export declare const isStub: true;
export declare const unavailableMessage: string;
export declare class OlmMachine { private constructor(); }
export declare class UserId { constructor(id: string); }
export declare class DeviceId { constructor(id: string); }
export declare class RoomId { constructor(id: string); }
export declare class DeviceLists { constructor(changed?: UserId[], left?: UserId[]); }
export declare class Attachment { private constructor(); }
export declare class EncryptedAttachment { private constructor(); }
export declare class EncryptionSettings { constructor(); }
export declare const StoreType: { readonly Sled: 0; readonly Sqlite: 1 };
export type StoreType = 0 | 1;
export declare const RequestType: Readonly<Record<string, number>>;
export declare const EncryptionAlgorithm: Readonly<Record<string, number>>;
