// Package mappings loads and validates the two kinds of files people write to tell mallsync
// about malls and platforms, and ships the ones mallsync comes with.
//
// A mall file (mappings/malls/<key>.yaml) describes one mall: which platform it runs on, the
// seller account, the name of its stored credential, how it is synced, which goods are
// consignment, direct purchase or logistics stock, whom to call, and its CS policy. Adding a
// mall on a known platform needs a mall file and no Go code. ParseMall and LoadMallFile read
// one into a mallsync.Mall.
//
// A platform file (mappings/platforms/<platform>.yaml) holds what is data about a platform,
// for now its status map: every status code the platform reports, its own label, and what it
// means in mallsync's unified line and claim statuses. A person can read it and correct it.
// ParseStatusMap reads one; StatusMap serves the shipped ones.
//
// Both loaders refuse a bad file with a *FileError that lists every problem found, one per
// line, as "file:line:col: message" saying what was expected:
//
//	mappings/malls/acme.yaml:7:3: unknown field "intervall" in sync; expected one of interval, backfill_start, lookback
//	mappings/malls/acme.yaml:12:11: platform: expected one of cafe24, smartstore, coupang, got "cafe42"
//
// Unknown fields, duplicate fields and values of the wrong type are errors everywhere. A YAML
// syntax error stops the parse and is reported alone, with its line.
//
// # Mall file format, version 1
//
//	version: 1                  # required, always 1
//	key: demo-cafe24            # required; ^[a-z0-9][a-z0-9-]{1,62}$
//	name: 데모 카페24 쇼핑몰       # required; for people
//	platform: cafe24            # required; cafe24 | smartstore | coupang
//	account:
//	  mall_id: demomall         # cafe24: required (the {mall_id}.cafe24api.com host part)
//	  shop_no: 1                # cafe24: optional, default 1, at least 1
//	  vendor_id: A00012345      # coupang: required
//	  seller_id: ...            # smartstore: optional
//	  api_base: ""              # optional: an http(s) URL replacing the platform's (simulator, proxy)
//	credentials: demo-cafe24    # required; the name of the stored credential
//	sync:                       # required
//	  interval: 5m              # Go duration, at least 30s; default 5m
//	  backfill_start: 2026-07-01  # required: a date (the start of that day in KST), an RFC 3339
//	                            # time, or "120d": the start of the KST day 120 days before now
//	  lookback: 2h              # Go duration, 0 to 48h; default 2h
//	ownership:                  # optional
//	  default: direct           # consignment (위탁) | direct (직매입) | logistics (물류); default direct
//	  rules:                    # first match wins; each sets at least one of supplier_code,
//	    - supplier_code: S0000001   # product_code, brand, trading_type, shipping_type (all
//	      ownership: consignment    # that are set must match); ownership is required
//	    - trading_type: C           # the supplier's trading type as synced (Cafe24 C 직배송)
//	      ownership: consignment
//	    - shipping_type: D          # the product's shipping type as synced (Cafe24 D)
//	      ownership: direct
//	contacts:                   # optional list
//	  - role: md                # required; md | logistics | cs | sales
//	    name: 김민지             # required
//	    email: md@example.com   # optional
//	    phone: 02-1234-5678     # optional
//	policy:                     # optional
//	  return_withdrawal: true   # default false
//	  preshipped_reorder: false # default false
//	  defect_verification: inspection   # inspection | photo; default inspection
//	  dispatch_delay: { notice_after: 72h, credit: 2000 }   # duration ≥ 0; won ≥ 0
//	  compensation:
//	    kinds: [refund, credit, coupon, receipt]   # each at most once
//	    monthly_budget_count: 30                   # ≥ 0
//	    monthly_budget: 1000000                    # won, ≥ 0
//	    supplier_burden_percent: 50                # 0..100
//
// Account fields a platform does not use (a vendor_id on a cafe24 mall) are errors. Text
// fields keep numbers as written (supplier_code: 0012 is "0012"); number fields refuse text
// ("30" in quotes is not a number). mappings/malls/demo-cafe24.yaml shows every field, with
// comments in Korean for the people who write these files.
//
// # Platform file format, version 1
//
//	version: 1
//	platform: cafe24
//	statuses:
//	  N10: { label: 상품준비중, line: paid }
//	  C00: { label: 취소신청, line: prior, claim: cancel, claim_status: requested }
//	  C40: { label: 취소완료, line: canceled, claim: cancel, claim_status: completed }
//
// Every code needs a label and a line: one of mallsync's unified line statuses, or prior for a
// claim step that leaves the line as it was before the claim (the platform's "status before
// the claim" field decides; mallsync.StatusRule.KeepsPriorStatus). A claim step sets claim
// (cancel | return | exchange) and claim_status (a unified claim status) together; prior needs
// a claim. Codes are unique: a code written twice is an error at the second one.
package mappings
