"""The OpenAPI 3.1 document of the read API, built from the same vocabulary the API checks."""

from __future__ import annotations

from typing import Any

from onderwijsplatform import labels
from onderwijsplatform.forms.text import VISIBLE_LINE


def _codes(name: str) -> dict[str, Any]:
    return {"type": "string", "enum": [code for code, _ in labels.choices(name, "nl")]}


def _list_of(name: str) -> dict[str, Any]:
    return {"type": "array", "items": _codes(name)}


def _error(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


def _query(name: str, schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "schema": schema,
        "description": description,
    }


OFFER = {
    "type": "object",
    "description": "An active offer in the public fields of the exchange format: "
    "no contact person, email address or phone number.",
    "required": ["id", "organisation", "kinds"],
    "additionalProperties": False,
    "properties": {
        "id": {"type": "string"},
        "organisation": {"type": "string"},
        "kinds": _list_of("kinds"),
        "sectors": _list_of("sectors"),
        "themes": {"type": "array", "items": {"type": "string"}},
        "target_groups": _list_of("target_groups"),
        "where": _list_of("where"),
        "postcode": {"type": "string"},
        "place": {"type": "string"},
        "lat": {"type": "number", "minimum": -90, "maximum": 90},
        "lon": {"type": "number", "minimum": -180, "maximum": 180},
        "travel_km": {"type": "number", "minimum": 0},
        "capacity": {"type": "integer", "minimum": 1},
        "available": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["from", "to"],
                "additionalProperties": False,
                "properties": {
                    "from": {"type": "string", "format": "date"},
                    "to": {"type": "string", "format": "date"},
                },
            },
        },
        "description": {"type": "string"},
        "regions": {
            "type": "array",
            "description": "Codes of the regions the offer is approved in",
            "items": {"type": "string", "pattern": "^[a-z0-9-]{1,40}$"},
        },
    },
}


ITEM = {
    "type": "object",
    "description": "A lendable kit or piece of equipment with its free sets per week: the "
    "fewest sets free on any day of that week, from the same function as every page.",
    "required": ["id", "title", "sets", "weeks"],
    "additionalProperties": False,
    "properties": {
        "id": {"type": "integer"},
        "title": {"type": "string"},
        "description": {"type": "string"},
        "owner": {"type": ["string", "null"], "description": "The owning organisation"},
        "kinds": _list_of("kinds"),
        "sectors": _list_of("sectors"),
        "themes": {"type": "array", "items": {"type": "string"}},
        "target_groups": _list_of("target_groups"),
        "sets": {"type": "integer", "minimum": 0},
        "loan_days": {"type": "integer", "minimum": 1},
        "components": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["name", "count"],
                "additionalProperties": False,
                "properties": {
                    "name": {"type": "string"},
                    "count": {"type": "integer", "minimum": 1},
                },
            },
        },
        "weeks": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["year", "week", "monday", "free"],
                "additionalProperties": False,
                "properties": {
                    "year": {"type": "integer"},
                    "week": {"type": "integer", "minimum": 1, "maximum": 53},
                    "monday": {"type": "string", "format": "date"},
                    "free": {"type": "integer", "minimum": 0},
                },
            },
        },
    },
}


def _region_code() -> dict[str, Any]:
    return {
        "name": "code",
        "in": "path",
        "required": True,
        "schema": {"type": "string"},
        "description": "The region's code, as in /r/<code>/",
    }


def _json(description: str, schema: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}},
    }


def document() -> dict[str, Any]:
    """The whole OpenAPI 3.1 document."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Onderwijsplatform read API",
            "version": "1.0.0",
            "description": "Public figures of the STO regions and the catalogue of each "
            "region's active offers, for the regions' own websites. No personal data.",
        },
        "servers": [{"url": "/api/v1"}],
        "paths": {
            "/regions": {
                "get": {
                    "operationId": "listRegions",
                    "summary": "Every region with its figures",
                    "responses": {
                        "200": {
                            "description": "The regions, by code",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/RegionList"}
                                }
                            },
                        },
                        "414": {"description": "Request line too long (the web server's limit)"},
                        "429": _error("Too many requests"),
                    },
                }
            },
            "/regions/{code}/offers": {
                "get": {
                    "operationId": "listRegionOffers",
                    "summary": "A region's active offers, filtered and paged",
                    "parameters": [
                        {
                            "name": "code",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string"},
                            "description": "The region's code, as in /r/<code>/",
                        },
                        _query("kind", _codes("kinds"), "Only offers of this kind"),
                        _query("sector", _codes("sectors"), "Only offers for this profile"),
                        _query(
                            "target_group",
                            _codes("target_groups"),
                            "Only offers for this target group (or for every group)",
                        ),
                        _query(
                            "online",
                            {"type": "string", "enum": ["true", "false"]},
                            "Only offers that can take place online",
                        ),
                        _query(
                            "near",
                            {
                                "type": "string",
                                "minLength": 1,
                                "maxLength": 100,
                                "pattern": VISIBLE_LINE,
                            },
                            "A postcode or place; with within_km, offers about that near",
                        ),
                        _query(
                            "within_km",
                            {"type": "integer", "minimum": 1, "maximum": 300},
                            "Distance from near, 25 by default",
                        ),
                        _query(
                            "page", {"type": "integer", "minimum": 1, "maximum": 100000}, "Page"
                        ),
                        _query(
                            "per_page",
                            {"type": "integer", "minimum": 1, "maximum": 100},
                            "Offers per page, 20 by default",
                        ),
                    ],
                    "responses": {
                        "200": {
                            "description": "One page of offers",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/OfferPage"}
                                }
                            },
                        },
                        "304": {"description": "Not modified since the ETag given"},
                        "400": _error("A query parameter is wrong; `parameter` names it"),
                        "404": _error("No region with this code"),
                        "414": {"description": "Request line too long (the web server's limit)"},
                        "429": _error("Too many requests"),
                    },
                }
            },
            "/regions/{code}/items": {
                "get": {
                    "operationId": "listRegionItems",
                    "summary": "A region's lendable kits with free sets per week",
                    "parameters": [
                        _region_code(),
                        _query(
                            "weeks",
                            {"type": "integer", "minimum": 1, "maximum": 26},
                            "How many weeks from this one, 8 by default",
                        ),
                    ],
                    "responses": {
                        "200": _json("The reservable items, by title", "ItemList"),
                        "304": {"description": "Not modified since the ETag given"},
                        "400": _error("A query parameter is wrong; `parameter` names it"),
                        "404": _error("No region with this code"),
                        "414": {"description": "Request line too long (the web server's limit)"},
                        "429": _error("Too many requests"),
                    },
                }
            },
        },
        "components": {
            "schemas": {
                "Item": ITEM,
                "ItemList": {
                    "type": "object",
                    "required": ["region", "items"],
                    "additionalProperties": False,
                    "properties": {
                        "region": {"type": "string"},
                        "items": {"type": "array", "items": {"$ref": "#/components/schemas/Item"}},
                    },
                },
                "Region": {
                    "type": "object",
                    "required": ["code", "name", "active_offers", "schools", "open_requests"],
                    "additionalProperties": False,
                    "properties": {
                        "code": {"type": "string"},
                        "name": {"type": "string"},
                        "active_offers": {"type": "integer", "minimum": 0},
                        "schools": {"type": "integer", "minimum": 0},
                        "open_requests": {"type": "integer", "minimum": 0},
                    },
                },
                "RegionList": {
                    "type": "object",
                    "required": ["regions"],
                    "additionalProperties": False,
                    "properties": {
                        "regions": {
                            "type": "array",
                            "items": {"$ref": "#/components/schemas/Region"},
                        }
                    },
                },
                "Offer": OFFER,
                "OfferPage": {
                    "type": "object",
                    "required": ["region", "page", "per_page", "total", "pages", "next", "offers"],
                    "additionalProperties": False,
                    "properties": {
                        "region": {"type": "string"},
                        "page": {"type": "integer", "minimum": 1},
                        "per_page": {"type": "integer", "minimum": 1},
                        "total": {"type": "integer", "minimum": 0},
                        "pages": {"type": "integer", "minimum": 0},
                        "next": {"type": ["string", "null"]},
                        "offers": {
                            "type": "array",
                            "items": {"$ref": "#/components/schemas/Offer"},
                        },
                    },
                },
                "Error": {
                    "type": "object",
                    "required": ["error"],
                    "properties": {
                        "error": {
                            "type": "object",
                            "required": ["status", "message"],
                            "properties": {
                                "status": {"type": "integer"},
                                "parameter": {"type": "string"},
                                "message": {"type": "string"},
                            },
                        }
                    },
                },
            }
        },
    }
