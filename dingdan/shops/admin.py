from django.contrib import admin

from dingdan.shops.models import ApiToken, Membership, Shop


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Shop)
class ShopAdmin(admin.ModelAdmin):
    list_display = ["slug", "name", "currency", "timezone", "created_at"]
    search_fields = ["slug", "name"]
    inlines = [MembershipInline]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "shop", "role", "prefix", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["role"]
    readonly_fields = ["prefix", "token_hash", "created_at", "last_used_at"]
