// Seeded items for the six clouds' list APIs, in each vendor's own item shape (the fields their
// docs show), derived from the account so an added account gets data too. The counts differ and
// are all above one page of the default page size, so a client has to page.
import { createHash } from "node:crypto";
import { BASE_TIME } from "./data";

export const TUYA_DEVICE_COUNT = 37;
export const HUAWEI_DEVICE_COUNT = 42;
export const THINGSBOARD_DEVICE_COUNT = 33;
export const EZVIZ_DEVICE_COUNT = 27;
export const ARTEMIS_CAMERA_COUNT = 45;
export const ALIYUN_DEVICE_COUNT = 31;

const HOUR_MS = 3_600_000;

/** Deterministic hex of `length` digits for item `index` of an account. */
function hexOf(seed: string, index: number, length: number): string {
  let out = "";
  for (let round = 0; out.length < length; round++) {
    out += createHash("sha256").update(`${seed}\n${index}\n${round}`).digest("hex");
  }
  return out.slice(0, length);
}

function seeded<T>(count: number, item: (index: number) => T): T[] {
  return Array.from({ length: count }, (_, index) => item(index));
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

export interface TuyaDevice {
  id: string;
  name: string;
  [field: string]: unknown;
}

/** A project's devices in the order /v2.0/devices pages through them. */
export function tuyaDevicesOf(accessId: string, uid: string): TuyaDevice[] {
  return seeded(TUYA_DEVICE_COUNT, (i) => {
    const created = Math.floor((BASE_TIME + i * HOUR_MS) / 1000);
    return {
      id: `6c${hexOf(accessId, i, 20)}`,
      name: i === 0 ? "Body fat scale" : `Smart plug ${pad(i)}`,
      uid,
      local_key: hexOf(`${accessId}/key`, i, 16),
      category: i === 0 ? "qt" : "cz",
      product_id: i === 0 ? "g0er6hSKgMqrsim1" : "k4yz0qzbsim00002",
      product_name: i === 0 ? "Scale" : "Smart plug",
      sub: false,
      uuid: hexOf(`${accessId}/uuid`, i, 16),
      owner_id: "1070000",
      online: i % 5 !== 4,
      icon: "smart/icon/15402589135gknz23xajb_0.png",
      ip: "120.198.0.1",
      biz_type: 299009,
      active_time: created + 60,
      create_time: created,
      update_time: created + 120,
      status: [{ code: "switch_1", value: i % 2 === 0 }],
    };
  });
}

export interface HuaweiDevice {
  /** The 24-hex record id IoTDA pages by (`marker`); not part of a device's answer. */
  recordId: string;
  device: Record<string, unknown> & { device_id: string; product_id: string };
}

const HUAWEI_STATUSES = ["ONLINE", "OFFLINE", "ONLINE", "ABNORMAL", "INACTIVE", "ONLINE", "FROZEN"];

/** A project's devices, newest (largest record id) first, as IoTDA lists them. */
export function huaweiDevicesOf(projectId: string): HuaweiDevice[] {
  const base = parseInt(hexOf(projectId, 0, 8), 16);
  return seeded(HUAWEI_DEVICE_COUNT, (i) => {
    const productId = i % 3 === 0 ? "5f3b4c2d1e0f9a8b7c6d5e4f" : "64a1b2c3d4e5f60718293a4b";
    const nodeId = `sensor-${pad(i + 1, 3)}`;
    const created = new Date(BASE_TIME + i * HOUR_MS);
    return {
      recordId: (base + HUAWEI_DEVICE_COUNT - i).toString(16).padStart(24, "0"),
      device: {
        app_id: hexOf(projectId, 1, 32),
        app_name: "DefaultApp_sim",
        device_id: `${productId}_${nodeId}`,
        node_id: nodeId,
        gateway_id: `${productId}_${nodeId}`,
        device_name: i === 0 ? "Boiler room gateway" : `Sensor ${pad(i + 1, 3)}`,
        node_type: i === 0 ? "GATEWAY" : "ENDPOINT",
        description: "",
        fw_version: null,
        sw_version: null,
        device_sdk_version: null,
        product_id: productId,
        product_name: i % 3 === 0 ? "Gateway" : "Temperature sensor",
        status: HUAWEI_STATUSES[i % HUAWEI_STATUSES.length],
        create_time: created
          .toISOString()
          .replace(/[-:]/g, "")
          .replace(/\.\d{3}/, ""),
        tags: [],
      },
    };
  });
}

/** A UUID-shaped id (ThingsBoard's entity ids). */
function uuidOf(seed: string, index: number): string {
  const h = hexOf(seed, index, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** ThingsBoard's "no customer" id. */
export const THINGSBOARD_NULL_CUSTOMER = "13814000-1dd2-11b2-8080-808080808080";

export function thingsboardTenantId(username: string): string {
  return uuidOf(`${username}/tenant`, 0);
}

export function thingsboardUserId(username: string): string {
  return uuidOf(`${username}/user`, 0);
}

/** A tenant's devices (Device objects of PageData). */
export function thingsboardDevicesOf(username: string): Array<Record<string, any>> {
  const tenantId = thingsboardTenantId(username);
  const profileId = uuidOf(`${username}/profile`, 0);
  return seeded(THINGSBOARD_DEVICE_COUNT, (i) => ({
    id: { entityType: "DEVICE", id: uuidOf(username, i) },
    createdTime: BASE_TIME + i * HOUR_MS,
    tenantId: { entityType: "TENANT", id: tenantId },
    customerId: { entityType: "CUSTOMER", id: THINGSBOARD_NULL_CUSTOMER },
    name: i === 0 ? "Thermostat A1" : `Thermostat ${String.fromCharCode(65 + (i % 26))}${Math.floor(i / 26) + 1}`,
    type: i % 4 === 0 ? "thermostat" : "default",
    label: null,
    deviceProfileId: { entityType: "DEVICE_PROFILE", id: profileId },
    additionalInfo: null,
  }));
}

/** "2017-09-01 15:30:45", EZVIZ's time format (UTC here). */
function ezvizTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace("T", " ");
}

export function ezvizDevicesOf(appKey: string): Array<Record<string, unknown>> {
  return seeded(EZVIZ_DEVICE_COUNT, (i) => ({
    deviceSerial: String(427734000 + parseInt(hexOf(appKey, i, 5), 16)),
    deviceName: i === 0 ? "Front door" : `Camera ${pad(i + 1)}`,
    deviceType: i % 3 === 0 ? "C1" : "CS-C6N",
    status: i % 6 === 5 ? 0 : 1,
    defence: i % 2,
    deviceVersion: "V5.3.0 build 150824",
    updateTime: ezvizTime(BASE_TIME + i * HOUR_MS),
  }));
}

export function artemisCamerasOf(appKey: string): Array<Record<string, unknown>> {
  return seeded(ARTEMIS_CAMERA_COUNT, (i) => ({
    cameraIndexCode: hexOf(appKey, i, 32),
    cameraName: i === 0 ? "Gate 1 entrance" : `Camera ${pad(i + 1)}`,
  }));
}

/** "Wed, 20-Feb-2019 02:16:09 GMT", Alibaba's Gmt* format. */
function gmtTime(ms: number): string {
  const [day, date, month, year, time] = new Date(ms).toUTCString().split(" ");
  return `${day} ${date}-${month}-${year} ${time} GMT`;
}

const ALIYUN_STATUSES = ["ONLINE", "OFFLINE", "ONLINE", "UNACTIVE", "ONLINE", "DISABLE"];

/** A product's devices, newest first, as QueryDevice lists them. */
export function aliyunDevicesOf(productKey: string): Array<Record<string, unknown>> {
  return seeded(ALIYUN_DEVICE_COUNT, (i) => {
    const created = BASE_TIME + (ALIYUN_DEVICE_COUNT - i) * HOUR_MS;
    const name = `light${pad(ALIYUN_DEVICE_COUNT - i)}`;
    return {
      DeviceName: name,
      DeviceSecret: hexOf(`${productKey}/secret`, i, 32),
      DeviceStatus: ALIYUN_STATUSES[i % ALIYUN_STATUSES.length],
      DeviceType: "Lighting",
      GmtCreate: gmtTime(created),
      GmtModified: gmtTime(created + HOUR_MS / 2),
      IotId: `${hexOf(productKey, i, 20)}00100`,
      Nickname: `Light ${pad(ALIYUN_DEVICE_COUNT - i)}`,
      ProductKey: productKey,
      UtcCreate: new Date(created).toISOString(),
      UtcModified: new Date(created + HOUR_MS / 2).toISOString(),
    };
  });
}
