// How each preset's cloud pages its list calls, as the api request node's `paginate: preset` walks
// them (src/nodes/api-pages.ts). Shipped with the runtime, unlike the presets' other data (the
// dialog fills their fields in): a custom node started from a preset names it in `preset`, and
// that name alone picks its paging here. nextPage gives the next request's changes; its query's
// entries replace those of the same name (null removes one).
import type { PresetId } from "./preset-ids";
import type { PageConvention } from "./types";

export const PRESET_PAGINATION: Readonly<Record<PresetId, PageConvention>> = {
  // Tuya pages per API; the last_row_key ones answer has_more (/v2.0/devices) or has_next (others).
  tuya: {
    items: "payload.result.devices ? payload.result.devices : payload.result.list",
    nextPage: `(
  $result := response.body.result;
  ($result.has_more or $result.has_next) and $result.last_row_key
    ? {"query": {"last_row_key": $result.last_row_key}}
)`,
  },
  // Marker paging, newest first: no "more" flag, a page shorter than its limit (default 10) is the
  // last; the marker replaces an offset, which counts from it.
  "huawei-iam": {
    items: "payload.devices",
    nextPage: `(
  $limit := request.query.limit ? $number(request.query.limit) : 10;
  $count(response.body.devices) >= $limit and response.body.page.marker
    ? {"query": {"marker": response.body.page.marker, "offset": null}}
)`,
  },
  // PageData: page counts from 0, hasNext false on the last one.
  thingsboard: {
    items: "payload.data",
    nextPage:
      'response.body.hasNext = true ? {"query": {"page": $string((request.query.page ? $number(request.query.page) : 0) + 1)}}',
  },
  // pageStart is a 0-based page index; page {total, page, size} beside data, no "more" flag.
  ezviz: {
    items: "payload.data",
    nextPage: `(
  $page := response.body.page;
  ($page.page + 1) * $page.size < $page.total and $count(response.body.data) > 0
    ? {"body": $merge([request.body, {"pageStart": $page.page + 1}])}
)`,
  },
  // pageNo is 1-based; data {total, pageNo, pageSize, list}.
  "hikvision-artemis": {
    items: "payload.data.list",
    nextPage: `(
  $data := response.body.data;
  $data.pageNo * $data.pageSize < $data.total and $count($data.list) > 0
    ? {"body": $merge([request.body, {"pageNo": $data.pageNo + 1}])}
)`,
  },
  // CurrentPage is 1-based; NextToken (required past 10,000 items) names the next page, "" on the last.
  "aliyun-iot": {
    items: "payload.Data.DeviceInfo",
    nextPage: `(
  $b := response.body;
  $b.Success and $b.Page < $b.PageCount and $not($b.NextToken = "")
    ? {"query": $merge([{"CurrentPage": $string($b.Page + 1)}, $b.NextToken ? {"NextToken": $b.NextToken}])}
)`,
  },
};

/** The paging of the preset a custom node was started from; undefined for none (or another release's). */
export function presetPagination(preset: string): PageConvention | undefined {
  return Object.hasOwn(PRESET_PAGINATION, preset) ? PRESET_PAGINATION[preset as PresetId] : undefined;
}
