// SPDX-License-Identifier: GPL-2.0
/*
 * The unified inode, as kernel/resource.c builds it for /dev/mem: a
 * pseudo-fs inode created once and published to every CPU; each open
 * then points its file at that inode's address_space, so one
 * unmap_mapping_range() reaches the mappings of every open, through
 * /dev/zaptest or through any mknod copy of it.
 */
#include <linux/mount.h>
#include <linux/pseudo_fs.h>
#include "zaptest_core.h"
#include "zaptest_publish.h"

#define ZAPTEST_MAGIC	0x7a617074	/* "zapt" */

static struct vfsmount *zt_mnt;
static int zt_mnt_count;
/* Written once at init, read on every open and revoke. */
static void *zt_inode;

static int zt_fs_init_fs_context(struct fs_context *fc)
{
	return init_pseudo(fc, ZAPTEST_MAGIC) ? 0 : -ENOMEM;
}

/*
 * No .owner: the mount we pin would then hold a reference on this very
 * module and rmmod could never succeed.  The mount lives from init to
 * exit, and exit runs only when no file (hence no mapping) is left.
 */
static struct file_system_type zt_fs_type = {
	.name = "zaptest",
	.init_fs_context = zt_fs_init_fs_context,
	.kill_sb = kill_anon_super,
};

/* A switch on the variant, each arm inlined with a constant. */
static void zt_publish_inode(struct inode *inode)
{
	switch (zt_variant) {
	case ZAPTEST_V3:
		zt_publish(&zt_inode, inode, ZAPTEST_V3);
		break;
	case ZAPTEST_ONCE:
		zt_publish(&zt_inode, inode, ZAPTEST_ONCE);
		break;
	case ZAPTEST_ACQREL:
		zt_publish(&zt_inode, inode, ZAPTEST_ACQREL);
		break;
	case ZAPTEST_RCU:
		zt_publish(&zt_inode, inode, ZAPTEST_RCU);
		break;
	case ZAPTEST_RELDEREF:
		zt_publish(&zt_inode, inode, ZAPTEST_RELDEREF);
		break;
	default:
		zt_publish(&zt_inode, inode, ZAPTEST_PLAIN);
		break;
	}
}

static struct inode *zt_consume_inode(void)
{
	switch (READ_ONCE(zt_variant)) {
	case ZAPTEST_V3:
		return zt_consume(&zt_inode, ZAPTEST_V3);
	case ZAPTEST_ONCE:
		return zt_consume(&zt_inode, ZAPTEST_ONCE);
	case ZAPTEST_ACQREL:
		return zt_consume(&zt_inode, ZAPTEST_ACQREL);
	case ZAPTEST_RCU:
		return zt_consume(&zt_inode, ZAPTEST_RCU);
	case ZAPTEST_RELDEREF:
		return zt_consume(&zt_inode, ZAPTEST_RELDEREF);
	default:
		return zt_consume(&zt_inode, ZAPTEST_PLAIN);
	}
}

int zt_inode_init(void)
{
	struct inode *inode;
	int rc;

	rc = simple_pin_fs(&zt_fs_type, &zt_mnt, &zt_mnt_count);
	if (rc < 0)
		return rc;
	inode = alloc_anon_inode(zt_mnt->mnt_sb);
	if (IS_ERR(inode)) {
		simple_release_fs(&zt_mnt, &zt_mnt_count);
		return PTR_ERR(inode);
	}
	zt_publish_inode(inode);
	return 0;
}

void zt_inode_exit(void)
{
	struct inode *inode = zt_consume_inode();

	WRITE_ONCE(zt_inode, NULL);
	iput(inode);
	simple_release_fs(&zt_mnt, &zt_mnt_count);
}

struct address_space *zt_shared_mapping(void)
{
	return zt_consume_inode()->i_mapping;
}

/*
 * What drivers/char/mem.c's open_port() does in 6.1: the file uses the
 * shared mapping, so mmap() links the VMA into it.  Only the file: 5.8
 * also pointed inode->i_mapping there, which a module must not do, since
 * a mknod copy's inode would keep pointing into the pseudo-inode freed
 * at rmmod.  In per-inode mode the file keeps the opened inode's own
 * mapping, which is how a mknod copy escapes a revoke issued through the
 * original node.
 */
void zt_wire_file(struct inode *inode, struct file *filp, int mode)
{
	filp->f_mapping = mode == ZAPTEST_UNIFIED ? zt_shared_mapping() : inode->i_mapping;
}
