from django.contrib import admin

from dingdan.customers.models import Address, Customer, CustomerMerge, CustomerTag, Identity, Tag


class AddressInline(admin.TabularInline):
    model = Address
    extra = 0


class IdentityInline(admin.TabularInline):
    model = Identity
    extra = 0


class CustomerTagInline(admin.TabularInline):
    model = CustomerTag
    extra = 0


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin):
    list_display = ["name", "phone", "shop", "created_at"]
    list_filter = ["shop"]
    search_fields = ["name", "phone"]
    inlines = [AddressInline, IdentityInline, CustomerTagInline]


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "shop"]
    list_filter = ["shop"]
    search_fields = ["name"]


@admin.register(CustomerMerge)
class CustomerMergeAdmin(admin.ModelAdmin):
    list_display = ["merged_name", "kept", "shop", "actor_label", "merged_at"]
    list_filter = ["shop"]
    readonly_fields = [
        "shop",
        "kept",
        "merged_customer_id",
        "merged_name",
        "merged_phone",
        "actor_label",
        "merged_at",
    ]
