// SPDX-License-Identifier: GPL-2.0
/*
 * zaptest: a char device that reproduces the /dev/mem unified inode, so
 * zapbench can time unmap_mapping_range() on it, count and time the
 * faults that follow a revoke, and compare the barrier variants the
 * review of "/dev/mem: Revoke mappings when a driver claims the region"
 * argued about.
 *
 * Registered the way drivers/char/mem.c registers "mem": a major of its
 * own (cdev, no misc layer, so open() never takes misc_mtx) and a class
 * whose device devtmpfs turns into /dev/zaptest; open() does what
 * open_port() does before it wires the file.
 *
 * Unload safety: cdev.owner and fops.owner pin the module while any file
 * is open (chrdev_open() takes both), and every mapping holds its file,
 * so rmmod fails with -EAGAIN (delete_module() with O_NONBLOCK on a module
 * in use) until the last mapping and file are gone;
 * the pages are never freed under a PTE.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/cdev.h>
#include <linux/device.h>
#include <linux/module.h>
#include <linux/security.h>
#include <linux/stringify.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include "zaptest_core.h"

#define CREATE_TRACE_POINTS
#include "zaptest_trace.h"

int zt_mode = ZAPTEST_UNIFIED;
int zt_variant = ZAPTEST_ACQREL;
unsigned int zt_pool_pages = 1024;
unsigned long zt_claim_base;
unsigned long zt_claim_size;
unsigned long zt_remap_base;
unsigned long zt_remap_size;

static const char * const zt_mode_names[] = { "unified", "per_inode" };
static const char * const zt_variant_names[] = {
#define ZAPTEST_VARIANT(e, name)	__stringify(name),
#define ZAPTEST_BROKEN_VARIANT(e, name)	__stringify(name),
#include "uapi/zaptest_variants.h"
};

/*
 * A parameter given by name, so a bad one fails insmod with -EINVAL.
 * Not const: module_param_cb() stores a plain void * to it.
 */
struct zt_enum_param {
	int *val;
	const char * const *names;
	int nr;
};

static int zt_enum_set(const char *val, const struct kernel_param *kp)
{
	const struct zt_enum_param *e = kp->arg;
	int i = __sysfs_match_string(e->names, e->nr, val);

	if (i < 0)
		return -EINVAL;
	WRITE_ONCE(*e->val, i);
	return 0;
}

static int zt_enum_get(char *buf, const struct kernel_param *kp)
{
	const struct zt_enum_param *e = kp->arg;

	return sysfs_emit(buf, "%s\n", e->names[READ_ONCE(*e->val)]);
}

static const struct kernel_param_ops zt_enum_ops = {
	.set = zt_enum_set,
	.get = zt_enum_get,
};

static struct zt_enum_param zt_mode_param = {
	&zt_mode, zt_mode_names, ARRAY_SIZE(zt_mode_names),
};

/* reorder is for the MP stress alone: no reader may run it. */
static struct zt_enum_param zt_variant_param = {
	&zt_variant, zt_variant_names, ZAPTEST_REORDER,
};

/* Writable at run time: each open (mode) and each read (variant) uses the current value. */
module_param_cb(mode, &zt_enum_ops, &zt_mode_param, 0644);
MODULE_PARM_DESC(mode, "unified (default) or per_inode: how open() wires f_mapping");
module_param_cb(variant, &zt_enum_ops, &zt_variant_param, 0644);
MODULE_PARM_DESC(variant,
		 "inode pointer publication, ZAPTEST_VARIANTS but reorder (default acqrel)");
module_param_named(pool_pages, zt_pool_pages, uint, 0444);
MODULE_PARM_DESC(pool_pages, "pages mmap() can map (default 1024)");
module_param_named(claim_base, zt_claim_base, ulong, 0444);
MODULE_PARM_DESC(claim_base, "physical base of the range CLAIM requests (e.g. from memmap=)");
module_param_named(claim_size, zt_claim_size, ulong, 0444);
MODULE_PARM_DESC(claim_size, "size of that range in bytes; 0 disables CLAIM");
module_param_named(remap_base, zt_remap_base, ulong, 0444);
MODULE_PARM_DESC(remap_base, "physical base of the reserved range the remap mmap maps (memmap=)");
module_param_named(remap_size, zt_remap_size, ulong, 0444);
MODULE_PARM_DESC(remap_size, "size of that range in bytes; 0 disables the remap mmap");

/*
 * A file's mode and map shape live in private_data, one byte each: no
 * allocation on open, which is the path kmod_open times.
 */
#define ZT_FILE_MAP_SHIFT	8

static int zt_file_mode(struct file *filp)
{
	return (unsigned long)READ_ONCE(filp->private_data) & 0xff;
}

static int zt_file_map(struct file *filp)
{
	return (unsigned long)READ_ONCE(filp->private_data) >> ZT_FILE_MAP_SHIFT;
}

static void zt_file_set(struct file *filp, int mode, int map)
{
	WRITE_ONCE(filp->private_data,
		   (void *)((unsigned long)mode | (unsigned long)map << ZT_FILE_MAP_SHIFT));
}

/*
 * open_port() in 6.1: CAP_SYS_RAWIO, then the lockdown check, then (for
 * /dev/mem) f_mapping = the unified inode's mapping.
 */
static int zt_open(struct inode *inode, struct file *filp)
{
	int mode = READ_ONCE(zt_mode);
	int rc;

	if (!capable(CAP_SYS_RAWIO))
		return -EPERM;
	rc = security_locked_down(LOCKDOWN_DEV_MEM);
	if (rc)
		return rc;
	zt_wire_file(inode, filp, mode);
	zt_file_set(filp, mode, ZAPTEST_MAP_FAULT);
	zt_count_open();
	return 0;
}

/* PFN mappings cannot COW: vmf_insert_pfn() BUG()s on one. */
static int zt_mmap(struct file *filp, struct vm_area_struct *vma)
{
	if (is_cow_mapping(vma->vm_flags))
		return -EINVAL;
	if (zt_file_map(filp) == ZAPTEST_MAP_REMAP)
		return zt_remap_mmap(filp, vma);
	return zt_pool_mmap(filp, vma);
}

static long zt_ioctl_info(struct file *filp, void __user *arg)
{
	struct zaptest_info info = {
		.abi_version = ZAPTEST_ABI_VERSION,
		.mode = READ_ONCE(zt_mode),
		.variant = READ_ONCE(zt_variant),
		.pool_pages = zt_pool_pages,
		.claim_base = zt_claim_base,
		.claim_size = zt_claim_size,
		.nr_cpus = num_online_cpus(),
		.file_mode = zt_file_mode(filp),
		.remap_base = zt_remap_base,
		.remap_size = zt_remap_size,
		.file_map = zt_file_map(filp),
		.remap_pages = zt_remap_pages(),
	};

	return copy_to_user(arg, &info, sizeof(info)) ? -EFAULT : 0;
}

/*
 * In unified mode the revoke goes to the shared mapping, whichever node
 * the file was opened through; in per-inode mode only to this file's
 * own, which is all a driver without the unified inode could reach.
 */
static long zt_ioctl_range(struct file *filp, unsigned int cmd,
			   void __user *arg)
{
	struct zaptest_range r;
	struct address_space *own = NULL;
	int rc;

	if (copy_from_user(&r, arg, sizeof(r)))
		return -EFAULT;
	if (cmd == ZAPTEST_IOC_GRANT)
		return zt_pool_grant(&r);
	if (zt_file_mode(filp) == ZAPTEST_PER_INODE)
		own = filp->f_mapping;
	rc = zt_pool_revoke(own, &r);
	if (rc)
		return rc;
	return copy_to_user(arg, &r, sizeof(r)) ? -EFAULT : 0;
}

static long zt_ioctl_set_map(struct file *filp, void __user *arg)
{
	u32 map;

	if (get_user(map, (u32 __user *)arg))
		return -EFAULT;
	if (map >= ZAPTEST_NR_MAPS)
		return -EINVAL;
	if (map == ZAPTEST_MAP_REMAP && !zt_remap_pages())
		return -ENODEV;
	zt_file_set(filp, zt_file_mode(filp), map);
	return 0;
}

static long zt_ioctl_stats(void __user *arg)
{
	struct zaptest_stats st;

	zt_stats_read(&st);
	return copy_to_user(arg, &st, sizeof(st)) ? -EFAULT : 0;
}

static long zt_ioctl_claim(void __user *arg)
{
	struct zaptest_claim c;
	int rc;

	if (copy_from_user(&c, arg, sizeof(c)))
		return -EFAULT;
	if (c.flags & ~ZAPTEST_CLAIM_PROBE)
		return -EINVAL;
	rc = zt_claim(&c);
	if (rc)
		return rc;
	return copy_to_user(arg, &c, sizeof(c)) ? -EFAULT : 0;
}

/* The results, one per kthread, go to the caller's array of b.nr_cpus. */
static long zt_ioctl_bench(void __user *arg)
{
	struct zaptest_bench_cpu *res;
	struct zaptest_bench b;
	long rc;

	if (copy_from_user(&b, arg, sizeof(b)))
		return -EFAULT;
	if (!b.nr_cpus || b.nr_cpus > num_online_cpus())
		return -EINVAL;
	res = kvcalloc(b.nr_cpus, sizeof(*res), GFP_KERNEL);
	if (!res)
		return -ENOMEM;
	rc = zt_bench(&b, res);
	if (!rc && copy_to_user(u64_to_user_ptr(b.results), res, b.nr_cpus * sizeof(*res)))
		rc = -EFAULT;
	kvfree(res);
	return rc;
}

static long zt_ioctl_mp(void __user *arg)
{
	struct zaptest_mp m;
	int rc;

	if (copy_from_user(&m, arg, sizeof(m)))
		return -EFAULT;
	rc = zt_mp(&m);
	if (rc)
		return rc;
	return copy_to_user(arg, &m, sizeof(m)) ? -EFAULT : 0;
}

/* What changes the machine beyond this device, or pins its CPUs. */
static bool zt_admin_cmd(unsigned int cmd)
{
	switch (cmd) {
	case ZAPTEST_IOC_CLAIM:
	case ZAPTEST_IOC_RELEASE:
	case ZAPTEST_IOC_BENCH:
	case ZAPTEST_IOC_MP:
		return true;
	default:
		return false;
	}
}

static long zt_ioctl(struct file *filp, unsigned int cmd, unsigned long arg)
{
	void __user *uarg = (void __user *)arg;

	if (zt_admin_cmd(cmd) && !capable(CAP_SYS_ADMIN))
		return -EPERM;
	switch (cmd) {
	case ZAPTEST_IOC_INFO:
		return zt_ioctl_info(filp, uarg);
	case ZAPTEST_IOC_REVOKE:
	case ZAPTEST_IOC_GRANT:
		return zt_ioctl_range(filp, cmd, uarg);
	case ZAPTEST_IOC_STATS:
		return zt_ioctl_stats(uarg);
	case ZAPTEST_IOC_RESET:
		zt_stats_reset();
		return 0;
	case ZAPTEST_IOC_CLAIM:
		return zt_ioctl_claim(uarg);
	case ZAPTEST_IOC_RELEASE:
		return zt_release();
	case ZAPTEST_IOC_BENCH:
		return zt_ioctl_bench(uarg);
	case ZAPTEST_IOC_MP:
		return zt_ioctl_mp(uarg);
	case ZAPTEST_IOC_SET_MAP:
		return zt_ioctl_set_map(filp, uarg);
	default:
		return -ENOTTY;
	}
}

/* Every argument has one layout for 32- and 64-bit callers (uapi). */
static const struct file_operations zt_fops = {
	.owner = THIS_MODULE,
	.open = zt_open,
	.mmap = zt_mmap,
	.unlocked_ioctl = zt_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = noop_llseek,
};

static dev_t zt_devt;
static struct cdev zt_cdev;
static struct class *zt_class;
static struct device *zt_device;

/* mem_devnode()'s job: the node's mode, as devtmpfs creates it */
#ifdef ZT_DEVNODE_CONST
static char *zt_devnode(const struct device *dev, umode_t *mode)
#else
static char *zt_devnode(struct device *dev, umode_t *mode)
#endif
{
	if (mode)
		*mode = 0600;
	return NULL;
}

/* chr_dev_init() for one node: a major, the cdev, then the class device. */
static int zt_chrdev_init(void)
{
	int rc;

	rc = alloc_chrdev_region(&zt_devt, 0, 1, "zaptest");
	if (rc)
		return rc;
	cdev_init(&zt_cdev, &zt_fops);
	zt_cdev.owner = THIS_MODULE;
	rc = cdev_add(&zt_cdev, zt_devt, 1);
	if (rc)
		goto err_region;
#ifdef ZT_CLASS_NAME_ONLY
	zt_class = class_create("zaptest");
#else
	zt_class = class_create(THIS_MODULE, "zaptest");
#endif
	if (IS_ERR(zt_class)) {
		rc = PTR_ERR(zt_class);
		goto err_cdev;
	}
	zt_class->devnode = zt_devnode;
	zt_device = device_create(zt_class, NULL, zt_devt, NULL, "zaptest");
	if (IS_ERR(zt_device)) {
		rc = PTR_ERR(zt_device);
		goto err_class;
	}
	return 0;

err_class:
	class_destroy(zt_class);
err_cdev:
	cdev_del(&zt_cdev);
err_region:
	unregister_chrdev_region(zt_devt, 1);
	return rc;
}

static void zt_chrdev_exit(void)
{
	device_destroy(zt_class, zt_devt);
	class_destroy(zt_class);
	cdev_del(&zt_cdev);
	unregister_chrdev_region(zt_devt, 1);
}

static int __init zt_init(void)
{
	int rc;

	if (!zt_pool_pages || zt_pool_pages > (1U << 18)) {
		pr_err("pool_pages must be 1..262144\n");
		return -EINVAL;
	}
	if (zt_claim_size && zt_claim_base + zt_claim_size < zt_claim_base) {
		pr_err("claim_base + claim_size overflows\n");
		return -EINVAL;
	}
	rc = zt_pool_init(zt_pool_pages);
	if (rc)
		return rc;
	rc = zt_remap_init();
	if (rc)
		goto err_pool;
	rc = zt_inode_init();
	if (rc)
		goto err_pool;
	rc = zt_chrdev_init();
	if (rc)
		goto err_inode;
	return 0;

err_inode:
	zt_inode_exit();
err_pool:
	zt_pool_exit();
	return rc;
}

static void __exit zt_exit(void)
{
	zt_chrdev_exit();
	zt_claim_exit();
	zt_inode_exit();
	zt_pool_exit();
}

module_init(zt_init);
module_exit(zt_exit);
MODULE_DESCRIPTION("zapbench: unified-inode revoke, fault and barrier test device");
MODULE_AUTHOR("zapbench developers");
MODULE_LICENSE("GPL");
